// STAND-IN for Electron's `net.fetch` of file:// URLs (which Node's fetch cannot read),
// for tests that replace the Electron runtime around the app:// protocol.
import { readFileSync } from 'node:fs';

export async function fileFetch(url: string): Promise<Response> {
  try {
    return new Response(readFileSync(new URL(url)));
  } catch {
    return new Response(null, { status: 404 });
  }
}
