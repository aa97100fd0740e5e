// Cycle ids with the campaign after `~`: the new form parses, and every id in use before campaigns (cycles,
// rehearsals, the archive's rows, the web's links) parses exactly as before, as the built-in campaign.
import { describe, expect, it } from 'vitest';
import { BUILTIN_CAMPAIGN_ID } from '../../domain/campaign-builtin';
import { campaignCycleId, cycleId, parseCycleId, unitWorkflowId } from '../../workflows/ids';

describe('cycle ids of a campaign', () => {
  it('puts the campaign after ~ and reads it back', () => {
    const id = campaignCycleId(2027, 'LDLD-BN', 'bao-cao-quy');
    expect(id).toBe('cycle-2027-LDLD-BN~bao-cao-quy');
    expect(parseCycleId(id)).toEqual({ year: 2027, rootId: 'LDLD-BN', rehearsal: false, campaignId: 'bao-cao-quy' });
    const rehearsal = campaignCycleId(2027, 'LDLD-BN', 'bao-cao-quy', '20261202013000');
    expect(rehearsal).toBe('rehearsal-2027-LDLD-BN-20261202013000~bao-cao-quy');
    expect(parseCycleId(rehearsal)).toEqual({ year: 2027, rootId: 'LDLD-BN', rehearsal: true, campaignId: 'bao-cao-quy' });
  });

  it('keeps the built-in campaign on the old form, so running cycles keep their ids', () => {
    expect(campaignCycleId(2027, 'LDLD-BN', BUILTIN_CAMPAIGN_ID)).toBe(cycleId(2027, 'LDLD-BN'));
    expect(campaignCycleId(2027, 'LDLD-BN', BUILTIN_CAMPAIGN_ID, '20261202013000')).toBe('rehearsal-2027-LDLD-BN-20261202013000');
  });

  it('parses the ids of cycles started before campaigns as the built-in campaign, as before', () => {
    expect(parseCycleId('cycle-2027-LDLD-HN')).toEqual({ year: 2027, rootId: 'LDLD-HN', rehearsal: false, campaignId: BUILTIN_CAMPAIGN_ID });
    expect(parseCycleId('cycle-2026-CD.NGANH_GD-01')).toEqual({ year: 2026, rootId: 'CD.NGANH_GD-01', rehearsal: false, campaignId: BUILTIN_CAMPAIGN_ID });
    expect(parseCycleId('rehearsal-2027-LDLD-HN-1733100000000')).toEqual({ year: 2027, rootId: 'LDLD-HN', rehearsal: true, campaignId: BUILTIN_CAMPAIGN_ID });
  });

  it('refuses what is not a cycle id', () => {
    for (const bad of [
      'cycle-2027-LDLD-BN~',
      'cycle-2027-LDLD-BN~Bao-Cao',
      'cycle-2027-LDLD-BN~bao~quy',
      'cycle-2027-LDLD-BN~builtin-yearly', // the built-in campaign has only the old form: one id per cycle
      '~bao-cao-quy',
      unitWorkflowId('cycle-2027-LDLD-BN~bao-cao-quy', 'CDCS-1'),
      'programme-2026-2030-LDLD-BN',
    ])
      expect(parseCycleId(bad), bad).toBeUndefined();
  });

  it('keeps the unit workflows of two campaigns of one root apart', () => {
    const a = unitWorkflowId(campaignCycleId(2027, 'LDLD-BN', 'bao-cao-quy'), 'CDCS-1');
    const b = unitWorkflowId(campaignCycleId(2027, 'LDLD-BN', 'so-ket-19-5'), 'CDCS-1');
    const c = unitWorkflowId(cycleId(2027, 'LDLD-BN'), 'CDCS-1');
    expect(new Set([a, b, c]).size).toBe(3);
  });
});
