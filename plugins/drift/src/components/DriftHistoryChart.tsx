import Typography from '@mui/material/Typography';
import {
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  DRIFT_VERDICTS,
  DriftRunSummary,
  DriftVerdict,
  verdictRank,
} from '@internal/plugin-drift-common';
import { VERDICT_COLOURS, formatTime } from './common';

interface Point {
  t: number;
  rank: number;
  verdict: DriftVerdict;
  run: DriftRunSummary;
}

// One line per environment; the colour of each point is its verdict.
const LINE_COLOURS = ['#1565c0', '#6a1b9a', '#00838f', '#5d4037', '#455a64'];

function pointLabel(run: DriftRunSummary): string {
  return `${run.verdict} at ${formatTime(run.observedAt)} in ${
    run.environment
  } from ${run.source}: ${run.counts.fail} FAIL, ${run.counts.warn} WARN`;
}

/** A run as a chart point: coloured by verdict, labelled for screen readers and tests. */
function VerdictPoint(props: { cx?: number; cy?: number; payload?: Point }) {
  const { cx, cy, payload } = props;
  if (cx === undefined || cy === undefined || !payload) return <g />;
  return (
    <circle
      cx={cx}
      cy={cy}
      r={6}
      fill={VERDICT_COLOURS[payload.verdict].bg}
      stroke="#ffffff"
      strokeWidth={1.5}
      role="img"
      aria-label={pointLabel(payload.run)}
      data-verdict={payload.verdict}
      data-run-id={payload.run.id}
    >
      <title>{pointLabel(payload.run)}</title>
    </circle>
  );
}

function TooltipBody({ payload }: { payload?: Array<{ payload?: Point }> }) {
  const point = payload?.[0]?.payload;
  if (!point) return null;
  return (
    <div
      style={{
        background: '#ffffff',
        border: '1px solid #ccc',
        padding: 8,
        fontSize: 12,
      }}
    >
      {pointLabel(point.run)}
    </div>
  );
}

/** The verdict of every run over time, one line per environment. */
export function DriftHistoryChart({ runs }: { runs: DriftRunSummary[] }) {
  if (runs.length === 0) {
    return (
      <Typography color="text.secondary">
        No runs in this period yet.
      </Typography>
    );
  }
  const environments = [...new Set(runs.map(r => r.environment))].sort();
  const series = environments.map(environment => ({
    environment,
    points: runs
      .filter(r => r.environment === environment)
      .map<Point>(run => ({
        t: new Date(run.observedAt).getTime(),
        rank: verdictRank(run.verdict),
        verdict: run.verdict,
        run,
      })),
  }));
  return (
    <div
      data-testid="drift-history-chart"
      style={{ width: '100%', height: 260 }}
    >
      <ResponsiveContainer
        width="100%"
        height={260}
        initialDimension={{ width: 800, height: 260 }}
      >
        <ScatterChart margin={{ top: 16, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={['dataMin', 'dataMax']}
            tickFormatter={(t: number) =>
              new Date(t).toISOString().slice(5, 16).replace('T', ' ')
            }
            name="Observed"
          />
          <YAxis
            dataKey="rank"
            type="number"
            domain={[0, 2]}
            ticks={[0, 1, 2]}
            tickFormatter={(rank: number) => DRIFT_VERDICTS[rank] ?? ''}
            width={56}
            name="Verdict"
          />
          <Tooltip content={<TooltipBody />} />
          <Legend />
          {series.map((s, i) => (
            <Scatter
              key={s.environment}
              name={s.environment}
              data={s.points}
              line={{ stroke: LINE_COLOURS[i % LINE_COLOURS.length] }}
              lineType="joint"
              fill={LINE_COLOURS[i % LINE_COLOURS.length]}
              shape={VerdictPoint as any}
              isAnimationActive={false}
            />
          ))}
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
}
