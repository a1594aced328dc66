import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "coverage/", "node_modules/", ".tmp/", "**/*.cjs"] },
  js.configs.recommended,
  {
    files: ["**/*.ts"],
    extends: [...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // The library checks its inputs at run time for JavaScript callers, whom the types do not bind.
      "@typescript-eslint/no-unnecessary-condition": "off",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
    },
  },
  {
    // Prettier wraps code but not comments or string literals: this keeps those within 100 too.
    files: ["src/**/*.ts"],
    rules: { "max-len": ["error", { code: 100, ignoreUrls: true }] },
  },
  {
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-non-null-assertion": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: {
      globals: {
        console: "readonly",
        process: "readonly",
        URL: "readonly",
        globalThis: "readonly",
        fetch: "readonly",
        setTimeout: "readonly",
        TextEncoder: "readonly",
        TextDecoder: "readonly",
        crypto: "readonly",
        atob: "readonly",
        btoa: "readonly",
        Buffer: "readonly",
        Headers: "readonly",
        Response: "readonly",
        URLSearchParams: "readonly",
      },
    },
  },
  {
    // The runtime matrix: Node drivers, and runners that run in browsers and workers.
    files: ["test/runtimes/**/*.mjs"],
    languageOptions: {
      globals: { clearTimeout: "readonly", Response: "readonly", window: "readonly" },
    },
  },
);
