/** Minimal browser: keeps cookies (by name; one host), follows redirects by hand. */
export class Browser {
  cookies = new Map<string, string>();

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ) {
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(init.form
          ? { 'content-type': 'application/x-www-form-urlencoded' }
          : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
    for (const header of res.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return res;
  }

  /** Follows redirects until a page, or until a redirect leaves for `stopAt`. */
  async follow(
    url: string,
    stopAt: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<{ url: string; res: Response }> {
    let current = url;
    let res = await this.request(current, init);
    for (let i = 0; i < 20; i++) {
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) break;
      current = new URL(location, current).toString();
      if (current.startsWith(stopAt)) return { url: current, res };
      res = await this.request(current);
    }
    return { url: current, res };
  }
}
