/**
 * A start-up failure whose message says all an operator needs (the cause and the setting to change):
 * the process prints it alone, as one line, without a stack.
 */
export class StartupError extends Error {}
