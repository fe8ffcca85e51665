import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { evidenceApiRef } from '../api/EvidenceApi';
import { rootRouteRef } from '../routes';
import { PacketDetails } from './PacketDetails';
import { PacketsTable } from './PacketsTable';
import { errorMessage } from './common';

/** The Evidence tab: the entity's packets newest first; choosing one shows it below. */
export function EntityEvidenceContent() {
  const { entity } = useEntity();
  const api = useApi(evidenceApiRef);
  const rootLink = useRouteRef(rootRouteRef);
  const entityRef = stringifyEntityRef(entity);
  const [selected, setSelected] = useState<string>();
  const packets = useAsync(
    async () => (await api.listPackets({ entity: entityRef })).items,
    [api, entityRef],
  );
  const pageLink = rootLink
    ? `${rootLink()}?entity=${encodeURIComponent(entityRef)}`
    : undefined;

  return (
    <>
      <InfoCard
        title="Evidence"
        subheader="Packets that prove this entity's acceptance runs, drift checks and releases"
        deepLink={
          pageLink
            ? { title: 'Open on the Evidence page', link: pageLink }
            : undefined
        }
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
          <PacketsTable
            packets={packets.value}
            onSelect={p => setSelected(p.id)}
            selectedId={selected}
            hideTenant={entity.kind.toLocaleLowerCase('en-US') === 'tenant'}
            empty="No evidence packets for this entity yet."
          />
        )}
      </InfoCard>
      {selected && (
        <div style={{ marginTop: 24 }}>
          <PacketDetails packetId={selected} />
        </div>
      )}
    </>
  );
}
