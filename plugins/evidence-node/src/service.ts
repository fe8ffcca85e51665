import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  FilePreview,
  PacketList,
  PacketListQueryInput,
  UploadQuery,
  UploadResult,
} from '@internal/plugin-evidence-common';
import { Readable } from 'node:stream';

/**
 * Who the call is made for. The evidence backend applies the permission checks of its HTTP
 * API to these credentials (a tenant member sees its tenants' packets only).
 */
export interface EvidenceCallOptions {
  credentials: BackstageCredentials;
}

/** Packets: list, read one file, upload. */
export interface EvidencePacketsApi {
  /** Packets the caller may read, filtered like `GET /packets` (without `entity`). */
  list(
    query: Omit<PacketListQueryInput, 'entity'>,
    options: EvidenceCallOptions,
  ): Promise<PacketList>;
  /**
   * One text file of a packet (`packet.json`, `steps/01-x/stdout.log`), secret-like values
   * masked. NotFoundError for a missing packet or file, NotAllowedError for another
   * tenant's packet.
   */
  preview(
    packetId: string,
    path: string,
    options: EvidenceCallOptions,
  ): Promise<FilePreview>;
  /**
   * Stores and verifies a packet (the tar.gz of one packet directory), like
   * `POST /packets`. InputError for an archive or query the backend refuses.
   */
  upload(
    archive: Readable,
    query: UploadQuery,
    options: EvidenceCallOptions,
  ): Promise<UploadResult>;
}

/** One evidence packet as other plugins read it (no files, no signatures). */
export interface EvidencePacketSummary {
  id: string;
  /** Canonical tenant ref, lower-case. */
  tenant?: string;
  entityRefs: string[];
  /** verified, unsigned, incomplete, redaction-failed or tampered. */
  verdict: string;
  /** When the evidence was taken, ISO UTC. */
  timestamp: string;
  area?: string;
  title?: string;
  /** packet.json `kind` (signed with the manifest), e.g. eval-report. */
  kind?: string;
}

/** What the evidence backend offers other backend plugins in-process. */
export interface EvidenceService {
  packets: EvidencePacketsApi;
  /**
   * One packet's summary, with no permission check: for a plugin that applies its own rule
   * to the packet (approvals resolving a proposal's packet references checks that the
   * packet belongs to the proposal's tenant). Undefined for an unknown id.
   */
  summary(packetId: string): Promise<EvidencePacketSummary | undefined>;
}
