// Every relative link in the README, CONTRIBUTING.md and docs/ leads somewhere: the file exists,
// and a `#anchor` into a Markdown file names one of its headings (GitHub's slugs).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));

const DOCUMENTS = [
  "README.md",
  "CONTRIBUTING.md",
  ...readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

/** The text outside fenced code blocks, line numbers kept (code lines are blanked). */
const prose = (text: string): string[] => {
  let fenced = false;
  return text.split("\n").map((line) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return "";
    }
    return fenced ? "" : line;
  });
};

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");

/** Every anchor a Markdown file offers; a repeated heading gets `-1`, `-2`, … as on GitHub. */
const anchors = (file: string): Set<string> => {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of prose(readFileSync(file, "utf8"))) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
};

interface Link {
  document: string;
  line: number;
  target: string;
}

const links = (): Link[] =>
  DOCUMENTS.flatMap((document) =>
    prose(readFileSync(join(root, document), "utf8")).flatMap((text, index) =>
      Array.from(text.replace(/`[^`]*`/g, "").matchAll(/\]\(([^)\s]+)\)/g), (match) => ({
        document,
        line: index + 1,
        target: match[1] ?? "",
      })),
    ),
  );

/** Why a link does not resolve, or undefined when it does. */
const broken = ({ document, target }: Link): string | undefined => {
  if (/^[a-z]+:/i.test(target)) return undefined; // https:, mailto:: not checked offline
  const [path = "", anchor] = target.split("#");
  const file = path === "" ? join(root, document) : normalize(join(root, dirname(document), path));
  if (!file.startsWith(root)) return "points outside the repository";
  if (!existsSync(file)) return "no such file";
  if (anchor === undefined) return undefined;
  if (!file.endsWith(".md")) return "an anchor into a file that is not Markdown";
  return anchors(file).has(anchor) ? undefined : `no heading with the anchor #${anchor}`;
};

it("finds the links of every document", () => {
  const found = links();
  expect(found.length).toBeGreaterThan(30);
  expect(found.some((link) => link.target.includes("#"))).toBe(true);
});

it("every relative link in the README, CONTRIBUTING.md and docs/ resolves", () => {
  const problems = links().flatMap((link) => {
    const why = broken(link);
    return why === undefined ? [] : [`${link.document}:${link.line}: ${link.target}: ${why}`];
  });
  expect(problems).toStrictEqual([]);
});

it("computes GitHub's anchors for headings with code and punctuation", () => {
  expect(slug("Apple Music / MusicKit developer token: `createMusicKitToken(options)`")).toBe(
    "apple-music--musickit-developer-token-createmusickittokenoptions",
  );
  expect(slug("`createAuthorizedFetch(provider, fetch?)`")).toBe(
    "createauthorizedfetchprovider-fetch",
  );
  expect(slug("Lifetime and clock skew")).toBe("lifetime-and-clock-skew");
});
