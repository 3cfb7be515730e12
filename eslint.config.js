import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'public', 'test-results', 'playwright-report', '.cache'] },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2022, globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // Dependencies point down: pages (app, train) → ui → worker → age, face, store, … → runtime → geometry.
  ...layer(['age', 'face', 'runtime', 'geometry', 'store', 'data', 'convert', 'config'], ['app', 'train', 'ui', 'worker', 'score']),
  ...layer(['worker'], ['app', 'train', 'ui', 'score']),
  ...layer(['ui', 'score'], ['app', 'train']),
);

/** Files in `folders` (under src/) may not import from the `above` folders. */
function layer(folders, above) {
  return folders.map((folder) => ({
    files: [`src/${folder}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: above.map((name) => `**/${name}/*`), message: `src/${folder} sits below ${above.join(', ')}: move what both need down (see README, Layout).` }] },
      ],
    },
  }));
}
