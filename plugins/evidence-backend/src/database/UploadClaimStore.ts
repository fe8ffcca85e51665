import { Knex } from 'knex';

/**
 * Which content owns an uploaded packet path (table evidence_upload_claims). The first claim
 * wins; later claims of the same path learn the winner's content digest.
 */
export class UploadClaimStore {
  constructor(private readonly db: Knex) {}

  /**
   * Claims `relPath` for `contentDigest` unless it is claimed already; answers the digest that
   * owns the path afterwards (ours, or the earlier claimant's).
   */
  async claim(
    relPath: string,
    contentDigest: string,
    now: Date,
  ): Promise<string> {
    await this.db('evidence_upload_claims')
      .insert({
        rel_path: relPath,
        content_digest: contentDigest,
        claimed_at: now.toISOString(),
      })
      .onConflict('rel_path')
      .ignore();
    const row = await this.db('evidence_upload_claims')
      .where({ rel_path: relPath })
      .first('content_digest');
    return row.content_digest as string;
  }
}
