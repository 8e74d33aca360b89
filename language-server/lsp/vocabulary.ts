/**
 * What the editor features know about the words of the language: the attributes of each block
 * with a one-line description (spec, "Elements"), the values of the enumerations, the size units,
 * and a token-level view of "which block is the cursor in, and what is set there" that works on
 * unfinished text (an unclosed `host h1 {`).
 */
import type { IToken } from 'chevrotain';
import type { Lexer } from 'langium';
import { NAME_AT_END } from '../names.js';

/** The keywords that start a top-level element. */
export const ELEMENT_KEYWORDS: ReadonlySet<string> = new Set([
    'import',
    'plan',
    'workload',
    'shape',
    'deploy',
    'model',
    'host'
]);

/** Block keyword → attribute name → description. Order is the completion order. */
export const BLOCK_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
    plan: {
        title: 'Title of the plan, a string.',
        dovecot:
            'Dovecot version: "2.3" (default), "2.4" or "pro-3.0" (no directors from 2.4 and Pro 3.0).',
        platform:
            '`virtual` (default) or `physical`: with `physical` every instance is its own machine.',
        mail_storage:
            '`block` (default) or `object`: object storage needs local cache disk on backends.',
        tolerate_host_failures: 'Host losses the placement must survive (default 0; 1 = N+1).',
        rebalance_moves:
            'Moves beyond those that must happen that a plan placed from its lock may spend on spread, mix and balance (default 0).'
    },
    workload: {
        sessions: 'Concurrent IMAP/POP3/LMTP sessions the cluster must hold.',
        active_users: 'Users with a live cache on the backends.',
        proxy: 'Cores the proxies need for the load: `proxy = 12 cores`.',
        director: 'Cores the directors need for the load: `director = 12 cores`.',
        backend: 'Cores (and optionally memory) the backends need: `backend = 64 cores, 512 GiB`.'
    },
    shape: {
        role: 'The role of the VM: `proxy`, `director` or `backend` (required).',
        cores: 'vCPUs of one instance (required).',
        memory: 'Memory of one instance, with a unit: `2 GiB` (required).',
        login_processes:
            'Login processes in high-performance login mode (proxy, director; default 1).',
        login_mode:
            '`performance` (default) or `security` (one process per connection, uses every core).',
        local_disk: 'Local ephemeral disk for fscache/metacache (backend).'
    },
    model: {
        cores: 'Physical cores of the machine.',
        threads_per_core: 'Hardware threads per core (default 1); hyper-threads count as vCPUs.',
        memory: 'Memory of the machine, with a unit.',
        numa_nodes: 'NUMA nodes (default 1): an instance should fit in one node.',
        hypervisor_cores: 'vCPUs kept back for the hypervisor (default 0).',
        hypervisor_memory: 'Memory kept back for the hypervisor (default 0).'
    },
    host: {
        cores: 'Physical cores of the machine.',
        threads_per_core: 'Hardware threads per core (default 1); hyper-threads count as vCPUs.',
        memory: 'Memory of the machine, with a unit.',
        numa_nodes: 'NUMA nodes (default 1): an instance should fit in one node.',
        hypervisor_cores: 'vCPUs kept back for the hypervisor (default 0).',
        hypervisor_memory: 'Memory kept back for the hypervisor (default 0).',
        rack: 'Failure domain (a name): the planner spreads over racks.',
        runs: 'Instances pinned on this host by hand: `runs = 3 x proxy_1c, 1 x director_3c`.',
        drain: '`true`: the host is in maintenance; nothing unpinned may run on it (its instances move).'
    }
};

/** Values of the enumerated attributes, with descriptions. */
export const ATTRIBUTE_VALUES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
    role: {
        proxy: 'Dovecot proxy (the page: 2–4 cores physical; 1-core VMs recommended).',
        director: 'Dovecot director (at most 9 in a ring).',
        backend: 'Dovecot backend (the page: 4–8 cores physical; 4-core VMs).'
    },
    platform: {
        virtual: 'Instances are VMs placed on the hosts (default).',
        physical: 'Every instance is its own machine; hosts are ignored.'
    },
    mail_storage: {
        block: 'Block storage (default).',
        object: 'Object storage: backends need local cache disk.'
    },
    login_mode: {
        performance:
            'High-performance login mode: `login_processes` serve all connections (default).',
        security: 'One login process per connection; uses every core.'
    },
    drain: {
        true: 'The host is in maintenance: nothing unpinned may run on it; its instances move to the other hosts (the moves of day 2).',
        false: 'The host takes instances (as without `drain`).'
    },
    dovecot: {
        '"2.3"': 'Dovecot 2.3 (default): directors available.',
        '"2.4"': 'Dovecot 2.4: the director role is gone.',
        '"pro-3.0"': 'Dovecot Pro 3.0: no directors (Palomar).'
    }
};

/** Attributes whose value is a size with a unit. */
export const SIZE_ATTRIBUTES: ReadonlySet<string> = new Set([
    'memory',
    'local_disk',
    'hypervisor_memory'
]);

/** Size units offered after a number, with what they mean. */
export const SIZE_UNITS: readonly (readonly [string, string])[] = [
    ['MiB', 'mebibytes (binary, 2^20 bytes)'],
    ['GiB', 'gibibytes (binary, 2^30 bytes)'],
    ['TiB', 'tebibytes (binary, 2^40 bytes)'],
    ['GB', 'gigabytes (decimal, 10^9 bytes)'],
    ['TB', 'terabytes (decimal, 10^12 bytes)'],
    // read too (values.ts), offered last: sizes of VMs are rarely written so
    ['MB', 'megabytes (decimal, 10^6 bytes)'],
    ['KiB', 'kibibytes (binary, 2^10 bytes)'],
    ['KB', 'kilobytes (decimal, 10^3 bytes)']
];

/** Where the cursor is, seen at the token level. */
export interface CursorContext {
    /** All tokens of the text (comments excluded). */
    readonly tokens: readonly IToken[];
    /** Start of the word being typed at the cursor (the cursor itself when none). */
    readonly prefixStart: number;
    /** The word typed so far. */
    readonly prefix: string;
    /** Index of the last token that ends before `prefixStart`, -1 when none. */
    readonly previous: number;
    /** The block the cursor is in (`shape`, `host`, …), `undefined` at the top level. */
    readonly block?: string;
    /** Index of the block's `{` token. */
    readonly open?: number;
    /** Attribute names written in the block (anywhere in it, except the word being typed). */
    readonly setAttributes: ReadonlySet<string>;
}

/** Analyses the cursor position at `offset` in `text` with the language's lexer. */
export function cursorContext(lexer: Lexer, text: string, offset: number): CursorContext {
    const tokens = lexer.tokenize(text).tokens;
    const before = text.slice(0, offset);
    const word = NAME_AT_END.exec(before);
    const prefixStart = word ? offset - word[0].length : offset;
    const prefix = word ? word[0] : '';
    let previous = -1;
    let open: number | undefined;
    let elementStart: number | undefined;
    for (let i = 0; i < tokens.length && tokens[i].startOffset < prefixStart; i++) {
        const t = tokens[i];
        if ((t.endOffset ?? t.startOffset) + 1 > prefixStart) break;
        previous = i;
        const name = t.tokenType.name;
        if (ELEMENT_KEYWORDS.has(name)) {
            elementStart = i;
            open = undefined;
        } else if (name === '{') open = i;
        else if (name === '}') {
            open = undefined;
            elementStart = undefined;
        }
    }
    const setAttributes = new Set<string>();
    let block: string | undefined;
    if (open !== undefined && elementStart !== undefined) {
        block = tokens[elementStart].tokenType.name;
        for (let i = open + 1; i < tokens.length; i++) {
            const name = tokens[i].tokenType.name;
            if (name === '}' || ELEMENT_KEYWORDS.has(name)) break;
            if (tokens[i + 1]?.tokenType.name === '=' && tokens[i].startOffset !== prefixStart)
                setAttributes.add(tokens[i].image);
        }
    }
    return { tokens, prefixStart, prefix, previous, block, open, setAttributes };
}
