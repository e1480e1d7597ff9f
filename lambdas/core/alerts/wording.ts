// The words of each billing-health alert, for the MSP's billing admin reading the ticket in the PSA. Pure.
import type { IsoDate, Period } from '../model';
import type { RefusedService, UnbilledAccount } from './facts';

const units = (n: number) => `${n} unit${n === 1 ? '' : 's'}`;

export function unmappedAccountText(
  account: UnbilledAccount & { suggestions?: string[] },
  period: Period,
): { title: string; description: string } {
  const lines = account.units.filter((u) => u.computed > 0).map((u) => `${u.serviceKey}: ${units(u.computed)}`);
  const suggestions = account.suggestions ?? [];
  return {
    title: `Unbilled usage: ${account.name} is not mapped (${period})`,
    description: [
      `${account.name} (account ${account.accountId}) has usage in ${period} that cannot be billed: the account is not mapped to a PSA company in Synthesize.`,
      `Usage so far: ${lines.join('; ')}.`,
      suggestions.length > 0
        ? `PSA companies with a similar name: ${suggestions.join(', ')}.`
        : 'No PSA company with a similar name was found.',
      'Map the account in Synthesize; the next nightly sync bills it.',
    ].join('\n'),
  };
}

export function refusedServiceText(service: RefusedService, period: Period): { title: string; description: string } {
  return {
    title: `Unbilled usage: Gradient refused ${service.name} (${period})`,
    description: [
      `Gradient refused the counts of ${service.name} (${service.serviceKey}) on mapped accounts in ${period}: the service is not mapped to a PSA product in Synthesize.`,
      `Unbilled so far: ${units(service.units)}.`,
      'Map the service in Synthesize, then press Sync mappings in the vendor console; the next nightly sync sends it.',
    ].join('\n'),
  };
}

export function closeDayReminderText(input: {
  period: Period;
  closeDate: IsoDate;
  accounts: string[];
  services: string[];
}): { title: string; description: string } {
  const open = [
    ...input.accounts.map((name) => `account ${name} (not mapped)`),
    ...input.services.map((name) => `service ${name} (refused)`),
  ];
  return {
    title: `Billing closes on ${input.closeDate} with unbilled usage (${input.period})`,
    description: [
      `The ${input.period} billing period closes on ${input.closeDate}. Still unbilled:`,
      ...open.map((o) => `- ${o}`),
      'Map them in Synthesize before then, or their usage misses this invoice.',
    ].join('\n'),
  };
}

export function runsFailingText(period: Period, statuses: string[]): { title: string; description: string } {
  return {
    title: `Billing sync did not complete two nights in a row (${period})`,
    description: [
      `The last two nightly billing syncs ended ${statuses.join(' and ')}: some counts for ${period} did not reach Gradient.`,
      'The next nights retry on their own; if this goes on, contact the vendor.',
    ].join('\n'),
  };
}
