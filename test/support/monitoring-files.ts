import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** The Prometheus rules, their promtool unit tests and the Grafana dashboard, as shipped in `monitoring/`. */
const MONITORING = path.join(__dirname, '..', '..', 'monitoring');
export const RULES_FILE = path.join(MONITORING, 'prometheus', 'ticket-gateway.rules.yml');
export const RULE_TESTS_FILE = path.join(MONITORING, 'prometheus', 'ticket-gateway.rules.test.yml');
export const DASHBOARD_FILE = path.join(MONITORING, 'grafana', 'ticket-gateway.json');

export type Rule = {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
};
type RuleFile = { groups: { name: string; rules: Rule[] }[] };

type AlertCase = { alertname: string; eval_time: string; exp_alerts?: unknown[] };
type RuleTestFile = { tests: { alert_rule_test?: AlertCase[] }[] };

export type DashboardTarget = { refId: string; expr: string; legendFormat?: string };
export type DashboardPanel = {
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: DashboardTarget[];
};
export type Dashboard = { uid: string; title: string; schemaVersion: number; panels: DashboardPanel[] };

export const rules = (): Rule[] => (parse(readFileSync(RULES_FILE, 'utf8')) as RuleFile).groups.flatMap((group) => group.rules);

export const alertCases = (): AlertCase[] =>
  (parse(readFileSync(RULE_TESTS_FILE, 'utf8')) as RuleTestFile).tests.flatMap((test) => test.alert_rule_test ?? []);

export const dashboard = (): Dashboard => JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as Dashboard;

export const dashboardExpressions = (): string[] =>
  dashboard().panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
