// typescript-eslint, small and strict: the recommended rules with type information off (fast), on production
// code and tests. Formatting is not linted. `npm run lint`, also part of `npm test`.
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["dist/**", "build/**", "node_modules/**", "examples/programs/**/node_modules/**", "tests/real-cli/fixtures/**", "**/*.js", "**/*.mjs"] },
    ...tseslint.configs.recommended,
    {
        rules: {
            eqeqeq: ["error", "always"],
            // require() is deliberate where it appears: lazy loading that keeps the pack's start-up small
            // (re2js, saxes, the SDK's own modules) and reading package.json files.
            "@typescript-eslint/no-require-imports": "off",
            "no-var": "error",
            "prefer-const": "error",
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
        },
    },
    {
        files: ["tests/**/*.ts", "bench/**/*.ts"],
        rules: { "@typescript-eslint/no-unused-expressions": "off" },
    },
);
