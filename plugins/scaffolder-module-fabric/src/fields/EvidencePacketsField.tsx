import { useApi } from '@backstage/frontend-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  PACKET_KINDS,
  PacketKind,
  PacketRef,
} from '@internal/plugin-approvals-common';
import { evidenceApiRef } from '@internal/plugin-evidence';
import type { EvidencePacket } from '@internal/plugin-evidence-common';
import Checkbox from '@mui/material/Checkbox';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import { useEffect, useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  CitationFieldset,
  citationStatus,
  nowrap,
  refName,
  shortTime,
  useClearOnChange,
} from './citations';
import { TenantChangeUiOptions, readSiblings } from './options';

/** What the field holds: the cited packets, as a proposal's `packets`. */
export type PacketPicks = Array<Pick<PacketRef, 'packetId' | 'kind'>>;

/** How a person reads each packet kind. */
export const PACKET_KIND_LABELS: Record<PacketKind, string> = {
  'eval-report': 'Evaluation report',
  'dataset-manifest': 'Dataset manifest',
  compatibility: 'Compatibility',
  plan: 'Plan',
  verification: 'Verification',
  other: 'Other',
};

/** Verified packets first, then the newest first. */
export function orderPackets(packets: EvidencePacket[]): EvidencePacket[] {
  return [...packets].sort(
    (a, b) =>
      Number(b.verdict === 'verified') - Number(a.verdict === 'verified') ||
      b.timestamp.localeCompare(a.timestamp),
  );
}

const packetTitle = (p: EvidencePacket) =>
  p.title ?? `${p.area} ${p.subject ?? ''}`.trim();

/**
 * `ui:field: FabricEvidencePackets`: the evidence packets of the tenant chosen in the form,
 * as the signed-in user may read them (the evidence plugin's API), verified ones first; the
 * user ticks several and gives each a kind. Another tenant clears the picks.
 */
export function EvidencePacketsField(
  props: FieldExtensionComponentProps<PacketPicks, TenantChangeUiOptions>,
) {
  const { formData, onChange, formContext, uiSchema, schema } = props;
  const evidenceApi = useApi(evidenceApiRef);
  const { tenantRef } = readSiblings(
    formContext?.formData,
    uiSchema?.['ui:options'],
  );
  const picks = useMemo(() => formData ?? [], [formData]);
  useClearOnChange(tenantRef ?? '', picks.length > 0, () => onChange([]));

  const listed = useAsync(
    async () =>
      tenantRef
        ? orderPackets(
            (await evidenceApi.listPackets({ tenant: tenantRef, limit: 200 }))
              .items,
          )
        : [],
    [evidenceApi, tenantRef],
  );
  const packets = listed.value ?? [];
  // A pick the list does not offer (kept from another tenant) is dropped once the list is in.
  useEffect(() => {
    if (!listed.value) return;
    const offered = new Set(listed.value.map(p => p.id));
    if (picks.some(p => !offered.has(p.packetId))) {
      onChange(picks.filter(p => offered.has(p.packetId)));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [listed.value]);
  const tenantName = tenantRef ? refName(tenantRef) : '';
  const status = citationStatus({
    missing: tenantRef
      ? undefined
      : 'Pick the tenant first; its evidence packets appear here.',
    loading: listed.loading,
    error: listed.error,
    what: `evidence packets of ${tenantName}`,
    empty: packets.length === 0,
    emptyText: `${tenantName} has no evidence packets you may read. You can submit without citing one.`,
  });

  const kindOf = (id: string) => picks.find(p => p.packetId === id)?.kind;
  const toggle = (id: string, on: boolean) =>
    onChange(
      on
        ? [...picks, { packetId: id, kind: 'other' }]
        : picks.filter(p => p.packetId !== id),
    );
  const setKind = (id: string, kind: PacketKind) =>
    onChange(picks.map(p => (p.packetId === id ? { ...p, kind } : p)));
  const id = props.idSchema?.$id ?? 'packets';

  return (
    <CitationFieldset
      title={schema.title ?? 'Evidence packets'}
      description={schema.description}
      rawErrors={props.rawErrors}
    >
      {status ?? (
        <Table size="small" aria-label="Evidence packets to cite">
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox" sx={nowrap}>
                Cite
              </TableCell>
              <TableCell>Packet</TableCell>
              <TableCell>Area</TableCell>
              <TableCell>Verdict</TableCell>
              <TableCell>Taken</TableCell>
              <TableCell>Kind</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {packets.map(packet => {
              const title = packetTitle(packet);
              const kind = kindOf(packet.id);
              return (
                <TableRow key={packet.id} selected={kind !== undefined}>
                  <TableCell padding="checkbox">
                    <Checkbox
                      checked={kind !== undefined}
                      onChange={e => toggle(packet.id, e.target.checked)}
                      disabled={props.disabled || props.readonly}
                      inputProps={{ 'aria-label': `Cite ${title}` }}
                    />
                  </TableCell>
                  <TableCell>{title}</TableCell>
                  <TableCell sx={nowrap}>{packet.area}</TableCell>
                  <TableCell sx={nowrap}>{packet.verdict}</TableCell>
                  <TableCell sx={nowrap}>
                    {shortTime(packet.timestamp)}
                  </TableCell>
                  <TableCell>
                    {kind !== undefined && (
                      <TextField
                        select
                        size="small"
                        id={`${id}-${packet.id}-kind`}
                        label="Kind"
                        value={kind}
                        onChange={e =>
                          setKind(packet.id, e.target.value as PacketKind)
                        }
                        SelectProps={{ native: true }}
                        inputProps={{ 'aria-label': `Kind of ${title}` }}
                        disabled={props.disabled || props.readonly}
                      >
                        {PACKET_KINDS.map(k => (
                          <option key={k} value={k}>
                            {PACKET_KIND_LABELS[k]}
                          </option>
                        ))}
                      </TextField>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </CitationFieldset>
  );
}
