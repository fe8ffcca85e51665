import { Content, Header, Link, Page } from '@backstage/core-components';
import { CatalogIcon, DocsIcon } from '@backstage/core-components';
import { SearchType } from '@backstage/plugin-search';
import {
  SearchBar,
  SearchContextProvider,
  SearchResult,
  SearchResultPager,
} from '@backstage/plugin-search-react';
import type { SearchResult as Result } from '@backstage/plugin-search-common';
import { useSearchParams } from 'react-router-dom';
import Box from '@mui/material/Box';
import Grid from '@mui/material/Grid';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import { groupResults, resultCount } from './groupResults';

const TYPES = [
  { value: 'software-catalog', name: 'Catalog', icon: <CatalogIcon /> },
  { value: 'techdocs', name: 'Runbooks', icon: <DocsIcon /> },
];

const KIND_LABEL: Record<string, string> = {
  'software-catalog': 'Catalog',
  techdocs: 'Runbook section',
};

function snippet(text: string) {
  return text.length > 240 ? `${text.slice(0, 240)}…` : text;
}

function ResultItem({ result, inset }: { result: Result; inset?: boolean }) {
  const { document } = result;
  const kind = (document as unknown as { kind?: string }).kind;
  return (
    <ListItem
      alignItems="flex-start"
      divider={!inset}
      sx={{ pl: inset ? 4 : 0 }}
      data-testid="search-result"
    >
      <ListItemText
        primary={<Link to={document.location}>{document.title}</Link>}
        secondary={
          <>
            <Typography component="span" variant="caption" display="block">
              {inset
                ? KIND_LABEL[result.type] ?? result.type
                : [KIND_LABEL[result.type] ?? result.type, kind]
                    .filter(Boolean)
                    .join(' · ')}
            </Typography>
            {snippet(document.text)}
          </>
        }
      />
    </ListItem>
  );
}

/** The results: entities first (the backend ranks them so), each runbook with its sections. */
function Results() {
  return (
    <SearchResult>
      {({ results, numberOfResults }) => (
        <Box>
          <Typography
            variant="body2"
            role="status"
            data-testid="search-result-count"
            sx={{ mb: 1 }}
          >
            {resultCount(numberOfResults, results.length)}
          </Typography>
          <List aria-label="Search results" disablePadding>
            {groupResults(results).map((row, index) =>
              row.kind === 'single' ? (
                <ResultItem key={index} result={row.result} />
              ) : (
                <ListItem
                  key={row.key}
                  divider
                  sx={{ display: 'block', px: 0 }}
                  data-testid="search-result-document"
                >
                  <Typography component="h2" variant="subtitle1">
                    <Link to={row.location}>{row.title}</Link>{' '}
                    <Typography component="span" variant="caption">
                      (runbook, {row.sections.length} matching section
                      {row.sections.length === 1 ? '' : 's'})
                    </Typography>
                  </Typography>
                  <List
                    dense
                    disablePadding
                    aria-label={`Sections of ${row.title}`}
                  >
                    {row.sections.map(section => (
                      <ResultItem
                        key={section.document.location}
                        result={section}
                        inset
                      />
                    ))}
                  </List>
                </ListItem>
              ),
            )}
          </List>
        </Box>
      )}
    </SearchResult>
  );
}

/**
 * The search page: a heading, the bar, the result types with their counts, and the ranked
 * results in a list (entities, then runbooks with their matching sections), paged.
 */
export function FabricSearchPage() {
  // `/search?query=...` (the home search bar and the sidebar modal link here so) starts with it.
  const [params] = useSearchParams();
  return (
    <SearchContextProvider
      initialState={{
        term: params.get('query') ?? '',
        types: [],
        filters: {},
        pageLimit: 25,
      }}
    >
      <Page themeId="home">
        <Header title="Search" />
        <Content>
          <Grid container spacing={2}>
            <Grid item xs={12}>
              <SearchBar debounceTime={100} />
            </Grid>
            <Grid item xs={12} md={3}>
              <SearchType.Accordion
                name="Result type"
                showCounts
                types={TYPES}
              />
            </Grid>
            <Grid item xs={12} md={9}>
              <Results />
              <SearchResultPager />
            </Grid>
          </Grid>
        </Content>
      </Page>
    </SearchContextProvider>
  );
}
