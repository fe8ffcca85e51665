import { useApi } from '@backstage/frontend-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { PACKET_KINDS, PacketKind } from '@internal/plugin-approvals-common';
import { evidenceApiRef } from '@internal/plugin-evidence';
import type { EvidencePacket } from '@internal/plugin-evidence-common';
import TextField from '@mui/material/TextField';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { CitationColumn, CitationTable } from './CitationTable';
import {
  CitationFieldset,
  citationStatus,
  useClearOnChange,
  useKeepOffered,
} from './citations';
import {
  PACKET_KIND_LABELS,
  PacketPicks,
  listCitablePackets,
  packetTitle,
  shortTime,
} from './citationSources';
import { TenantChangeUiOptions, readSiblings } from './options';
import { refName } from './pickerOptions';

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
    async () => (tenantRef ? listCitablePackets(evidenceApi, tenantRef) : []),
    [evidenceApi, tenantRef],
  );
  const packets = listed.value ?? [];
  useKeepOffered(listed.value, picks, p => p.packetId, onChange);

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

  const disabled = props.disabled || props.readonly;
  const id = props.idSchema?.$id ?? 'packets';
  const kindOf = (packetId: string) =>
    picks.find(p => p.packetId === packetId)?.kind;
  const setKind = (packetId: string, kind: PacketKind) =>
    onChange(picks.map(p => (p.packetId === packetId ? { ...p, kind } : p)));
  const kindSelect = (packet: EvidencePacket) => {
    const kind = kindOf(packet.id);
    if (kind === undefined) return null;
    const title = packetTitle(packet);
    return (
      <TextField
        select
        size="small"
        id={`${id}-${packet.id}-kind`}
        label="Kind"
        value={kind}
        onChange={e => setKind(packet.id, e.target.value as PacketKind)}
        SelectProps={{ native: true }}
        inputProps={{ 'aria-label': `Kind of ${title}` }}
        disabled={disabled}
      >
        {PACKET_KINDS.map(k => (
          <option key={k} value={k}>
            {PACKET_KIND_LABELS[k]}
          </option>
        ))}
      </TextField>
    );
  };
  const columns: CitationColumn<EvidencePacket>[] = [
    { header: 'Packet', cell: packetTitle },
    { header: 'Area', cell: packet => packet.area, nowrap: true },
    { header: 'Verdict', cell: packet => packet.verdict, nowrap: true },
    {
      header: 'Taken',
      cell: packet => shortTime(packet.timestamp),
      nowrap: true,
    },
    { header: 'Kind', cell: kindSelect },
  ];

  return (
    <CitationFieldset
      title={schema.title ?? 'Evidence packets'}
      description={schema.description}
      rawErrors={props.rawErrors}
    >
      {status ?? (
        <CitationTable
          label="Evidence packets to cite"
          rows={packets}
          rowKey={packet => packet.id}
          isPicked={packet => kindOf(packet.id) !== undefined}
          onToggle={(packet, on) =>
            onChange(
              on
                ? [...picks, { packetId: packet.id, kind: 'other' }]
                : picks.filter(p => p.packetId !== packet.id),
            )
          }
          checkboxLabel={packet => `Cite ${packetTitle(packet)}`}
          columns={columns}
          disabled={disabled}
        />
      )}
    </CitationFieldset>
  );
}
