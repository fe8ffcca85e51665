import type { DevIdpUser } from '../config';

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]!),
  );
}

// No scripts: the backend's Content-Security-Policy allows none inline, and none are needed.
const STYLE = `
  body { font-family: system-ui, sans-serif; background: #f4f5f7; color: #1d2330; margin: 0; }
  main { max-width: 36rem; margin: 3rem auto; background: #fff; border-radius: 8px;
         box-shadow: 0 1px 4px rgba(0,0,0,.15); padding: 2rem; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
  .note { color: #5b6475; font-size: .9rem; margin: 0 0 1.5rem; }
  label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
  input { width: 100%; box-sizing: border-box; padding: .55rem; font-size: 1rem;
          border: 1px solid #b8bfcc; border-radius: 4px; }
  button { margin-top: 1.5rem; width: 100%; padding: .65rem; font-size: 1rem; border: 0;
           border-radius: 4px; background: #1f5493; color: #fff; cursor: pointer; }
  .error { background: #fdecea; color: #8a1c12; border-radius: 4px; padding: .75rem;
           margin-bottom: 1rem; }
  table { width: 100%; border-collapse: collapse; margin-top: 2rem; font-size: .9rem; }
  caption { text-align: left; font-weight: 600; margin-bottom: .5rem; }
  td, th { text-align: left; padding: .3rem .25rem; border-top: 1px solid #e3e6ec;
           white-space: nowrap; }
  a { color: #1f5493; }
`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

export interface LoginPageOptions {
  /** Where the form posts to. */
  action: string;
  /** The interaction page itself, to pre-fill a username from the list. */
  self: string;
  users: DevIdpUser[];
  username?: string;
  error?: string;
}

/** The sign-in form plus the list of development users. */
export function renderLoginPage(options: LoginPageOptions): string {
  const { action, self, users, username, error } = options;
  const rows = users
    .map(
      u =>
        `<tr><td><a href="${escapeHtml(
          `${self}?username=${encodeURIComponent(u.username)}`,
        )}">${escapeHtml(u.username)}</a></td><td>${escapeHtml(
          u.name,
        )}</td><td>${escapeHtml(u.email)}</td></tr>`,
    )
    .join('');
  return page(
    'Sign in - Fabric ID (development)',
    `<h1>Sign in to Fabric ID</h1>
<p class="note">Development identity provider of the local portal. The users and their
passwords are development values from app-config.yaml (<code>devIdp.users</code>).</p>
${error ? `<div class="error" role="alert">${escapeHtml(error)}</div>` : ''}
<form method="post" action="${escapeHtml(action)}">
  <label for="username">Username</label>
  <input id="username" name="username" autocomplete="username" required
    value="${escapeHtml(username ?? '')}"${username ? '' : ' autofocus'}>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password"
    required${username ? ' autofocus' : ''}>
  <button type="submit">Sign in</button>
</form>
<table>
  <caption>Development users (select one to fill in the username)</caption>
  <thead><tr><th>Username</th><th>Name</th><th>Email</th></tr></thead>
  <tbody>${rows}</tbody>
</table>`,
  );
}

/** An error the user can act on, shown in the sign-in window. */
export function renderErrorPage(title: string, message: string): string {
  return page(
    `${title} - Fabric ID (development)`,
    `<h1>${escapeHtml(title)}</h1>
<div class="error" role="alert">${escapeHtml(message)}</div>
<p class="note">Close this window and choose "Sign in" in the portal again.</p>`,
  );
}
