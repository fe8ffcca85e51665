export interface Config {
  /**
   * The development identity provider (local default profile only; the backend never loads it
   * when NODE_ENV=production). Its users and secrets are throw-away development values.
   */
  devIdp?: {
    /** The one registered client: the Backstage auth backend (`auth.providers.oidc`). */
    client: {
      id: string;
      /** @visibility secret */
      secret: string;
    };
    /** Who can sign in. Each username should match a catalog User's email or name. */
    users: Array<{
      username: string;
      /** @visibility secret */
      password: string;
      name: string;
      email: string;
    }>;
  };
}
