// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const appImports = {
  group: [
    "@conclave/web",
    "@conclave/web/*",
    "@conclave/ws-server",
    "@conclave/ws-server/*",
    "**/apps/**",
  ],
  message: "Packages never import from apps.",
};
const prismaImports = {
  group: ["@prisma/client", "@prisma/client/*", "@prisma/adapter-pg", "**/generated/prisma/**"],
  message: "Only packages/db talks to Prisma; import @conclave/db instead.",
};
const trpcServerImports = {
  group: ["@trpc/server", "@trpc/server/*"],
  message: "Only packages/api imports @trpc/server.",
};

/** @param {...{group: string[], message: string}} patterns */
const restrict = (...patterns) => ({
  "no-restricted-imports": ["error", { patterns }],
});

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/.next/**",
      "**/dist/**",
      "**/generated/**",
      "**/.conclave/**",
      "**/coverage/**",
      "**/next-env.d.ts",
      "**/test-results/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  { files: ["**/*.js", "**/*.mjs", "**/*.cjs"], ...tseslint.configs.disableTypeChecked },
  // Import boundaries (DESIGN.md section 1).
  { files: ["packages/**"], rules: restrict(appImports, prismaImports, trpcServerImports) },
  { files: ["packages/db/**"], rules: restrict(appImports, trpcServerImports) },
  { files: ["packages/api/**"], rules: restrict(appImports, prismaImports) },
  {
    files: ["apps/**", "scripts/**", "bench/**"],
    rules: restrict(prismaImports, trpcServerImports),
  },
);
