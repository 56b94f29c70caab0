// The one Content-Security-Policy of the UI, shared by the Electron session headers,
// the meta tag of the built index.html and the browser host's headers, so that the
// three cannot drift apart. Everything is local: scripts, styles, fonts and Monaco's
// workers come from the app itself (same-origin module workers built by Vite, so no
// blob: workers); 'unsafe-inline' styles only because Monaco (and React's style
// attributes) set inline styles; no eval, no remote origins, no blob: or data: scripts.
export const CSP_DIRECTIVES: Record<string, string> = {
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self' 'unsafe-inline'",
  'font-src': "'self' data:",
  'img-src': "'self' data:",
  'worker-src': "'self'",
  'connect-src': "'self'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'object-src': "'none'",
  'manifest-src': "'self'",
};

/** Directives a meta tag cannot carry (the browser ignores them there). */
const HEADER_ONLY: Record<string, string> = { 'frame-ancestors': "'none'" };

export function contentSecurityPolicy(
  opts: { header?: boolean; extra?: Record<string, string> } = {},
): string {
  const all: Record<string, string> = { ...CSP_DIRECTIVES, ...(opts.header ? HEADER_ONLY : {}) };
  for (const [k, v] of Object.entries(opts.extra ?? {})) all[k] = all[k] ? `${all[k]} ${v}` : v;
  return Object.entries(all)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');
}
