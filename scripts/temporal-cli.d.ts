export declare const PINNED_VERSION: string;
export declare function findTemporalCli(): string | null;
export declare function ensureTemporalCli(log?: (line: string) => void): string;
