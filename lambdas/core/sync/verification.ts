// The verification schedule (README, "How usage is computed"): insurance against Gradient losing a value, without a storm. A quiet
// line — Gradient holds the value we would push — is re-sent on its verification night, one night in
// VERIFICATION_NIGHTS chosen by a stable hash of the line, so about 1/28 of the quiet lines go each night; a value
// held that long without a re-send (nights missed) goes whatever the hash says. A line Gradient refused is
// tried again on the same schedule (`refusals.ts`). Pure.
import type { HeldValue, IsoDate } from '../model';
import { epochDayOf } from '../period';
import { hash32 } from '../stable-hash';

/** Gradient never goes longer than this many nights without hearing a line's value. */
export const VERIFICATION_NIGHTS = 28;

const DAY_MS = 86_400_000;

type LineOf = Pick<HeldValue, 'partnerId' | 'accountId' | 'serviceKey'>;

/** The line's night in the cycle, 0 … VERIFICATION_NIGHTS − 1; the same for the line forever. */
export const verificationSlot = (partnerId: string, accountId: string, serviceKey: string): number =>
  hash32(`${partnerId}\u0000${accountId}\u0000${serviceKey}`) % VERIFICATION_NIGHTS;

/**
 * The night of the cycle a run at `at` (an ISO timestamp) belongs to: the UTC day it runs on. Not its as-of day,
 * which stands still on the closed month's last day for the nights before a partner's close day: keyed on that,
 * the same 1/28 of the lines would be verified night after night and the rest not at all.
 */
export const cycleNightOf = (at: string): number => epochDayOf(at.slice(0, 10) as IsoDate) % VERIFICATION_NIGHTS;

/** Whether `at` falls on the line's verification night. */
export const isVerificationNight = (line: LineOf, at: string): boolean =>
  verificationSlot(line.partnerId, line.accountId, line.serviceKey) === cycleNightOf(at);

/** Whether a quiet line is re-sent by a run at `at`. */
export const verificationDue = (held: HeldValue, at: string): boolean => dueSince(held, held.acceptedAt, at);

/** Whether a line Gradient last answered for at `since` is due: its night of the cycle, or held that long. */
export const dueSince = (line: LineOf, since: string, at: string): boolean =>
  isVerificationNight(line, at) || Date.parse(at) - Date.parse(since) >= VERIFICATION_NIGHTS * DAY_MS;
