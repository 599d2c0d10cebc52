/** Every card verb the bot answers, and whether it changes something (the fault-injection suite covers each that does). */
export const cardVerbs = new Map<string, { changes: boolean }>();
