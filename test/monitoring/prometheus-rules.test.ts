import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { alertCases, RULE_TESTS_FILE, RULES_FILE, rules } from '../support/monitoring-files';
import { describeWith } from '../support/prometheus-server';

const run = promisify(execFile);
/** promtool's unit tests take seconds, more on a loaded machine. */
const PROMTOOL_LIMIT_MS = 120_000;
const alerts = () => rules().filter((rule) => rule.alert !== undefined);

describeWith('promtool')('the Prometheus rules, checked by promtool', () => {
  it('when promtool checks the rules file, then every rule parses', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', RULES_FILE]);

    expect(stdout).toContain(`SUCCESS: ${rules().length} rules found`);
  }, PROMTOOL_LIMIT_MS);

  it('when promtool runs the unit tests, then every test passes', async () => {
    // promtool exits 1 on a failed test, which rejects with its report.
    const { stdout } = await run('promtool', ['test', 'rules', RULE_TESTS_FILE]);

    expect(stdout).toContain('SUCCESS');
  }, PROMTOOL_LIMIT_MS);
});

describe('the Prometheus rules file', () => {
  it('when an alert is read, then it has a severity (page or ticket), a summary and a description', () => {
    for (const alert of alerts()) {
      expect({ alert: alert.alert, severity: alert.labels?.severity }).toEqual({ alert: alert.alert, severity: expect.stringMatching(/^(page|ticket)$/) });
      expect(alert.annotations).toEqual({ summary: expect.any(String), description: expect.any(String) });
    }
  });

  it('when the unit tests are read, then every alert has a case where it fires and one where it must not', () => {
    const cases = alertCases();
    const untested = alerts()
      .map((alert) => alert.alert)
      .filter((name) => {
        const its = cases.filter((c) => c.alertname === name);
        return !its.some((c) => (c.exp_alerts ?? []).length > 0) || !its.some((c) => (c.exp_alerts ?? []).length === 0);
      });

    expect(untested).toEqual([]);
  });
});
