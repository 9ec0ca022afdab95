"use client";
import type { Stats } from "@agentos/core";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatCost, formatTokens } from "../../lib/format";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { runsPerDaySeries, STATUS_COLORS } from "./series";

const AXIS = { stroke: "var(--muted-foreground)", fontSize: 12 } as const;
const TOOLTIP = {
  contentStyle: {
    background: "var(--popover)",
    border: "1px solid var(--border)",
    borderRadius: 6,
    color: "var(--popover-foreground)",
  },
  cursor: { fill: "var(--muted)" },
} as const;

function ChartCard({
  title,
  description,
  children,
  className,
}: {
  title: string;
  description: string;
  children: React.ReactElement;
  className?: string;
}) {
  return (
    <Card className={className}>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent className="h-64" role="img" aria-label={`${title}: ${description}`}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </CardContent>
    </Card>
  );
}

/** The dashboard's charts; loaded on demand (recharts stays out of the first load). */
export default function DashboardCharts({
  stats,
  agentNames,
}: {
  stats: Stats;
  agentNames: Record<string, string>;
}) {
  const { days, statuses } = runsPerDaySeries(stats);
  const byAgent = stats.byAgent.map((a) => ({ ...a, name: agentNames[a.agentId] ?? a.agentId }));
  // A zero slice draws nothing but its padding; leave it out.
  const feedback = [
    { name: "Thumbs up", value: stats.feedback.up, color: "var(--chart-2)" },
    { name: "Thumbs down", value: stats.feedback.down, color: "var(--chart-3)" },
  ].filter((slice) => slice.value > 0);
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <ChartCard title="Runs per day" description="By final status" className="lg:col-span-2">
        <BarChart data={days}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
          <XAxis dataKey="day" {...AXIS} />
          <YAxis allowDecimals={false} {...AXIS} width={40} />
          <Tooltip {...TOOLTIP} />
          <Legend />
          {statuses.map((status) => (
            <Bar key={status} dataKey={status} stackId="runs" fill={STATUS_COLORS[status]} />
          ))}
        </BarChart>
      </ChartCard>
      <ChartCard title="Tokens by model" description="Input and output tokens">
        <BarChart data={stats.byModel} layout="vertical">
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" horizontal={false} />
          <XAxis type="number" tickFormatter={formatTokens} {...AXIS} />
          <YAxis type="category" dataKey="model" width={110} {...AXIS} />
          <Tooltip {...TOOLTIP} formatter={(v) => formatTokens(Number(v))} />
          <Legend />
          <Bar dataKey="inputTokens" name="input" stackId="t" fill="var(--chart-1)" />
          <Bar dataKey="outputTokens" name="output" stackId="t" fill="var(--chart-5)" />
        </BarChart>
      </ChartCard>
      <ChartCard title="Cost by model" description="USD, from the price table">
        <BarChart data={stats.byModel} layout="vertical">
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" horizontal={false} />
          <XAxis type="number" tickFormatter={(v) => formatCost(Number(v))} {...AXIS} />
          <YAxis type="category" dataKey="model" width={110} {...AXIS} />
          <Tooltip {...TOOLTIP} formatter={(v) => formatCost(Number(v))} />
          <Bar dataKey="costUsd" name="cost" fill="var(--chart-4)" />
        </BarChart>
      </ChartCard>
      <ChartCard title="Tokens and cost by agent" description="Tokens (bars) per agent, cost in the tooltip">
        <BarChart data={byAgent} layout="vertical">
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" horizontal={false} />
          <XAxis type="number" tickFormatter={formatTokens} {...AXIS} />
          <YAxis type="category" dataKey="name" width={110} {...AXIS} />
          <Tooltip
            {...TOOLTIP}
            formatter={(v, name) => (name === "cost" ? formatCost(Number(v)) : formatTokens(Number(v)))}
          />
          <Legend />
          <Bar dataKey="inputTokens" name="input" stackId="t" fill="var(--chart-1)" />
          <Bar dataKey="outputTokens" name="output" stackId="t" fill="var(--chart-5)" />
        </BarChart>
      </ChartCard>
      <ChartCard
        title="Feedback"
        description={
          stats.feedback.ratio === null
            ? "No ratings yet"
            : `${Math.round(stats.feedback.ratio * 100)}% positive of ${stats.feedback.up + stats.feedback.down}`
        }
      >
        <PieChart>
          <Pie
            data={feedback}
            dataKey="value"
            nameKey="name"
            cx="50%"
            cy="50%"
            innerRadius={50}
            outerRadius={80}
            paddingAngle={feedback.length > 1 ? 2 : 0}
            isAnimationActive={false}
          >
            {feedback.map((f) => (
              <Cell key={f.name} fill={f.color} />
            ))}
          </Pie>
          <Tooltip {...TOOLTIP} />
          <Legend />
        </PieChart>
      </ChartCard>
    </div>
  );
}
