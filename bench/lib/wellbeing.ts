// Switches an organization's agent wellbeing on through the Webex AI-feature view, as an admin would
// (it starts off): only then does the engine score agents and act on recorded breaks.
export async function enableWellbeing(url: string, token: string, orgId: string): Promise<void> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const list = await fetch(`${url}/organization/${orgId}/v2/ai-feature`, { headers });
  if (!list.ok) throw new Error(`GET ai-feature → ${list.status}: ${await list.text()}`);
  const feature = ((await list.json()) as { data: Array<{ id: string }> }).data[0];
  const patch = await fetch(`${url}/organization/${orgId}/ai-feature/${feature.id}`, {
    method: 'PATCH',
    headers,
    body: JSON.stringify({ id: feature.id, agentWellbeing: { enable: true, agentInclusionType: 'ALL' } }),
  });
  if (!patch.ok) throw new Error(`PATCH ai-feature → ${patch.status}: ${await patch.text()}`);
}
