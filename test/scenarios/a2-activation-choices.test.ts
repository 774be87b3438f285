/**
 * A2 through the production wiring: the admin's choices on the activation pages (kept in the activation store)
 * override the settings file for the next call, without a restart. The harness builds worker and server with
 * app/, so these calls go through the same activation overlay as `callmatrix worker` does.
 */
import { CLIENT, endOnly, expectCrm, incomingCall, linkedTo, missedCall, owner, useScenarioHarness } from './scenario-kit';

const harness = useScenarioHarness();

it("A2 + M9: the senior manager chosen at activation, not the file's, owns a new client's lead and callback", async () => {
  const h = harness();
  await h.activation.chooseSeniorManager(h.users.maria.id);
  const view = await endOnly(h, missedCall(h.uniqueCallId()));
  expect(view.plan?.rule).toBe('M9');

  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  expect(crm.Leads[0]).toMatchObject({ Phone: CLIENT, Owner: owner(h.users.maria.id) });
  expect(crm.Tasks[0]).toMatchObject({ Owner: owner(h.users.maria.id), ...linkedTo({ module: 'Leads', id: String(crm.Leads[0].id) }) });
});

it("A2 + M1: an employee mapped to another Zoho user at activation writes the call as that user", async () => {
  const h = harness();
  // Employee 101 (sip login ivan) is Ivan in the file; the admin mapped the line to Andrii.
  await h.activation.mapEmployee('101', h.users.andrii.id);
  const view = await endOnly(h, incomingCall(h.uniqueCallId()));
  expect(view.plan?.rule).toBe('M1');

  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  expect(crm.Leads[0]).toMatchObject({ Phone: CLIENT, Owner: owner(h.users.andrii.id) });
  expect(crm.Tasks[0]).toMatchObject({ Status: 'Completed', Owner: owner(h.users.andrii.id) });
});
