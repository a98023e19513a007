// ESLint flat config: `npm run lint`. Rules are the ones the code already follows;
// each rule turned off or tuned says why. Layering is checked by its own test, not here.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  globalIgnores(['dist/', 'node_modules/', 'release/', 'test-results/', 'e2e/artifacts/', 'renderer/dist/']),

  js.configs.recommended,
  // Not the type-checked preset: linting stays fast and tsc already type-checks.
  tseslint.configs.recommended,

  {
    // The few plain .js/.mjs files (bin/, build/scripts/, renderer/dev/, e2e/fixtures/) run under Node.
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },

  {
    rules: {
      eqeqeq: ['error', 'always'],
      'prefer-const': 'error',
      'no-var': 'error',
      // A leading underscore marks a parameter or binding that is unused on purpose (e.g. overridable no-op methods).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
      // Type-only imports are written `import type` / `{ type X }` throughout; keep it that way.
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },

  {
    // Tests match column-aligned CLI output literally, runs of spaces included.
    files: ['**/*.test.ts'],
    rules: { 'no-regex-spaces': 'off' },
  },

  {
    files: ['renderer/**/*.{ts,tsx,js,mjs}'],
    extends: [reactHooks.configs.flat.recommended],
    rules: {
      // The code follows it (the one exception carries a disable comment): make it fail the lint, not just warn.
      'react-hooks/exhaustive-deps': 'error',
      // React Compiler rule; the app does not use the compiler and reads the wall clock in render on purpose ("5 s ago", chart end).
      'react-hooks/purity': 'off',
      // React Compiler rule; effects reset derived state on purpose (picker highlight on open, clock on re-activation).
      'react-hooks/set-state-in-effect': 'off',
    },
  },
  {
    // The app runs in the browser; renderer/dev/*.mjs are Node scripts whose page.evaluate() callbacks run there too.
    files: ['renderer/**'],
    languageOptions: { globals: globals.browser },
  },
]);
