// Time source for lease deadlines. The store reads wall-clock milliseconds
// (deadlines are persisted, so they must survive a restart) and arms one timer
// at a time. Tests pass a ManualClock and move time by hand.
export { ManualClock, systemClock, type Clock, type Timer } from '../../machinery/clock.js';
