// vitest's global setup: forgets the skips of an earlier run, and after the run prints one notice
// for the tests skipped because a tool is missing (test/helpers/tools.mjs), with the command
// that installs it.
import { clearSkipped, skippedNotice } from "../helpers/tools.mjs";

export default function setup(): () => void {
  clearSkipped();
  return () => {
    const text = skippedNotice();
    if (text) process.stdout.write(`\n${text}\n\n`);
  };
}
