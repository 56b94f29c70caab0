// The Node.js the `gex-desk` command needs. It runs its TypeScript directly, which Node
// does by itself from 22.18 on; an older Node would stop at the first `.ts` import with
// ERR_UNKNOWN_FILE_EXTENSION, which tells an analyst nothing. Plain JavaScript, and only
// the `process` global, so that any Node can run it and say so clearly.
export const REQUIRED = [22, 18];

/** The message for a Node.js `version` ("22.17.1") too old for the command; null when it will do. */
export function tooOld(version, execPath) {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major > REQUIRED[0] || (major === REQUIRED[0] && minor >= REQUIRED[1])) return null;
  return (
    `gex-desk needs Node.js ${REQUIRED.join('.')} or newer (it runs its TypeScript directly); ` +
    `this is Node.js ${version} (${execPath}). Install a newer Node.js, or put one first on PATH.`
  );
}
