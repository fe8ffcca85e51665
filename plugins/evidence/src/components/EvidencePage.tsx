import { useState } from 'react';
import { Route, Routes, useParams, useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import Button from '@mui/material/Button';
import type { Verdict } from '@internal/plugin-evidence-common';
import { evidenceApiRef } from '../api/EvidenceApi';
import { packetRouteRef } from '../routes';
import { PacketDetails } from './PacketDetails';
import { PacketsTable } from './PacketsTable';
import { errorMessage } from './common';
import {
  EvidenceFilters,
  FILTERS,
  type FilterKey,
  type FilterValues,
} from './EvidenceFilters';

const PAGE = 50;

function ListPage() {
  const api = useApi(evidenceApiRef);
  const packetLink = useRouteRef(packetRouteRef);
  const [params, setParams] = useSearchParams();
  const [offset, setOffset] = useState(0);
  const filter = Object.fromEntries(
    FILTERS.map(k => [k, params.get(k) ?? '']),
  ) as FilterValues;
  const facets = useAsync(() => api.getFacets(), [api]);
  const packets = useAsync(
    () =>
      api.listPackets({
        area: filter.area || undefined,
        entity: filter.entity || undefined,
        verdict: (filter.verdict || undefined) as Verdict | undefined,
        from: filter.from || undefined,
        to: filter.to || undefined,
        limit: PAGE,
        offset,
      }),
    [api, params.toString(), offset],
  );
  const set = (key: FilterKey, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setOffset(0);
    setParams(next, { replace: true });
  };

  return (
    <Page themeId="tool">
      <Header
        title="Evidence"
        subtitle="Every claim backed by a packet the portal verifies: manifest, signatures, redaction"
      />
      <Content>
        <EvidenceFilters
          filter={filter}
          areas={facets.value?.areas ?? []}
          onChange={set}
        />
        <div style={{ height: 16 }} />
        <InfoCard
          title={packets.value ? `Packets (${packets.value.total})` : 'Packets'}
        >
          {packets.loading && <Progress />}
          {packets.error && (
            <WarningPanel
              severity="error"
              title="Could not load evidence"
              message={errorMessage(packets.error)}
            />
          )}
          {packets.value && (
            <>
              <PacketsTable
                packets={packets.value.items}
                linkTo={packetLink ? p => packetLink({ id: p.id }) : undefined}
                empty="No packet matches these filters."
              />
              <div style={{ marginTop: 8 }}>
                <Button
                  disabled={offset === 0}
                  onClick={() => setOffset(Math.max(0, offset - PAGE))}
                >
                  Newer
                </Button>
                <Button
                  disabled={offset + PAGE >= packets.value.total}
                  onClick={() => setOffset(offset + PAGE)}
                >
                  Older
                </Button>
              </div>
            </>
          )}
        </InfoCard>
      </Content>
    </Page>
  );
}

function PacketPage() {
  const { id } = useParams();
  return (
    <Page themeId="tool">
      <Header title="Evidence packet" subtitle={id} />
      <Content>{id && <PacketDetails packetId={id} />}</Content>
    </Page>
  );
}

/** `/evidence` (all packets, filtered) and `/evidence/packets/:id` (one packet). */
export function EvidencePage() {
  return (
    <Routes>
      <Route path="/" element={<ListPage />} />
      <Route path="/packets/:id" element={<PacketPage />} />
    </Routes>
  );
}
