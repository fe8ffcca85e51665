import TablePagination from '@mui/material/TablePagination';

export const PAGE_SIZES = [25, 50, 100];

/** Pages through a server-side list: `offset` rows skipped, `limit` per page, `total` in all. */
export function ProposalsPager(props: {
  total: number;
  limit: number;
  offset: number;
  onChange: (page: { limit: number; offset: number }) => void;
}) {
  const { total, limit, offset, onChange } = props;
  return (
    <TablePagination
      component="div"
      count={total}
      page={Math.floor(offset / limit)}
      rowsPerPage={limit}
      rowsPerPageOptions={PAGE_SIZES}
      onPageChange={(_e, page) => onChange({ limit, offset: page * limit })}
      onRowsPerPageChange={e =>
        onChange({ limit: Number(e.target.value), offset: 0 })
      }
    />
  );
}

/** A page size from the URL, or the first size when it is not one of {@link PAGE_SIZES}. */
export function pageSize(value: string | null): number {
  const n = Number(value);
  return PAGE_SIZES.includes(n) ? n : PAGE_SIZES[0];
}

/** A row offset from the URL: a whole number of rows, 0 otherwise. */
export function pageOffset(value: string | null): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : 0;
}
