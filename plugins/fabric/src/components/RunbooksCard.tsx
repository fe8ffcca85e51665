import { InfoCard, Link } from '@backstage/core-components';
import { useEntity, useRelatedEntities } from '@backstage/plugin-catalog-react';
import { RELATION_DEPENDS_ON } from '@backstage/catalog-model';
import { errorMessage } from '@internal/plugin-fabric-react';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';

/**
 * Runbooks are Resources of type `runbook` that declare `dependencyOf` the entities they
 * operate, so the operated entity sees them through its `dependsOn` relations.
 */
export function RunbooksCard() {
  const { entity } = useEntity();
  const { entities, loading, error } = useRelatedEntities(entity, {
    type: RELATION_DEPENDS_ON,
    kind: 'resource',
  });
  const runbooks = (entities ?? []).filter(e => e.spec?.type === 'runbook');
  return (
    <InfoCard title="Runbooks">
      {loading && <Typography>Loading…</Typography>}
      {error && (
        <Typography color="error">{errorMessage(error)}</Typography>
      )}
      {!loading && !error && runbooks.length === 0 && (
        <Typography color="text.secondary">No runbooks attached.</Typography>
      )}
      <List dense>
        {runbooks.map(rb => (
          <ListItem key={rb.metadata.name}>
            <ListItemText
              primary={
                <Link
                  to={`/docs/${rb.metadata.namespace ?? 'default'}/resource/${
                    rb.metadata.name
                  }`}
                >
                  {rb.metadata.title ?? rb.metadata.name}
                </Link>
              }
              secondary={rb.metadata.description}
            />
          </ListItem>
        ))}
      </List>
    </InfoCard>
  );
}
