// What a browser tab shows when the browser host refuses it (401): a tab opened
// without the address `gex-desk serve` printed has no token, and used to look like
// an empty app; a tab whose token was refused had the previous launch's (the server
// restarted at this address), or one the server never took (an address copied only in
// part). It says why and how to get in: open the printed address, or paste the token.
import { useState } from 'react';
import type { Unauthorized } from '../api/client.ts';
import { TOKEN_ACCEPTED_KEY, TOKEN_KEY } from '../api/http.ts';

export function TokenScreen({ why }: { why: Unauthorized }) {
  const [token, setToken] = useState('');
  return (
    <main className="token-screen" id="main" data-testid="token-screen" data-why={why}>
      <div className="token-box">
        {why === 'refused' ? (
          <>
            <h1>This address’s token changed</h1>
            <p>
              GEX Desk answered <b>401 Unauthorized</b> to the token this tab had: its server
              restarted at this address, and every launch of <code>gex-desk serve</code> makes a new
              token, printed in the new address.
            </p>
          </>
        ) : why === 'wrong' ? (
          <>
            <h1>This address’s token is wrong or cut short</h1>
            <p>
              GEX Desk answered <b>401 Unauthorized</b> to the token this tab was opened with: it is
              not the one <code>gex-desk serve</code> printed, most often because the address was
              copied only in part. Copy the whole address it printed, up to the end of its{' '}
              <code>?token=…</code>.
            </p>
          </>
        ) : (
          <>
            <h1>This address needs its token</h1>
            <p>
              GEX Desk answered <b>401 Unauthorized</b>: this tab was opened without the token that{' '}
              <code>gex-desk serve</code> printed when it started. Every launch makes a new one, and
              a tab keeps it only for itself.
            </p>
          </>
        )}
        <ol>
          <li>
            Open the address exactly as <code>gex-desk serve</code> printed it, with its{' '}
            <code>?token=…</code> part; or
          </li>
          <li>paste the token here:</li>
        </ol>
        <form
          className="token-form"
          onSubmit={(e) => {
            e.preventDefault();
            const given = token.trim();
            const inUrl = /[?&]token=([^&#\s]+)/.exec(given)?.[1];
            const t = inUrl ? decodeURIComponent(inUrl) : given;
            if (!t) return;
            sessionStorage.setItem(TOKEN_KEY, t);
            sessionStorage.removeItem(TOKEN_ACCEPTED_KEY);
            location.reload();
          }}
        >
          <label htmlFor="token-input">Token or address</label>
          <input
            id="token-input"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            spellCheck={false}
            autoComplete="off"
          />
          <button className="btn primary" type="submit" disabled={!token.trim()}>
            Connect
          </button>
        </form>
        <p className="muted">
          Nothing was loaded: the jobs, snapshots and rules stay hidden until the token is given.
        </p>
      </div>
    </main>
  );
}
