/**
 * The independent quality set (issue 15): seeded `.dcplan` texts from a generator of its own
 * (not bench/generate.ts's sizing, except the `current` distribution, which is that generator's
 * quality set written out as text). The instance counts are drawn first, then the hosts are sized
 * to the drawn core and memory loads, so every distribution hits its VM count and load ranges.
 * Each plan is a list of top-level blocks, so the permutation test can reorder them.
 * Deterministic: the same seed gives the same text on every machine (mulberry32).
 */
import { generate, qualitySet, rng, toText } from '../generate.js';

/**
 * The distributions of the independent set (issue 15), in report order:
 * - current: bench/generate.ts's quality plans (≤ 100 instances, 4–20 hosts, 85% / 95% core load)
 * - heavy: backends of 8–16 cores, 20–80 VMs, 4–16 hosts, core load 80–95%, memory 60–85%
 * - near-full: core load 95–99%, memory load 90–98% (tight), 20–100 VMs, 4–16 hosts
 * - mixed-hosts: host sizes 0.5–2× the mean, 20–120 VMs, 4–24 hosts, core load 80–95%
 * - pins-racks: `runs` pins on a third of the hosts and 2–4 racks, 20–100 VMs, core load 80–95%
 * - issue: the issue's set: 20–120 VMs, 4–24 hosts of mixed sizes, backends 4–16 cores, core load 80–98%, memory 60–90%
 * - small-hosts: added after the planner was tuned on the six above, to check that it generalises:
 *   many small hosts (6–40, their mean 1.1–2× the largest backend, none below it) with backends of
 *   8–16 cores near the host size, 20–100 VMs, core load 75–92%, memory 60–90%
 */
export const DISTRIBUTIONS = [
    'current',
    'heavy',
    'near-full',
    'mixed-hosts',
    'pins-racks',
    'issue',
    'small-hosts'
] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];

/** One generated plan: its name, distribution and the top-level blocks of its text. */
export interface QualityPlan {
    readonly name: string;
    readonly distribution: Distribution;
    /** The header comment (always first). */
    readonly header: string;
    /** Top-level blocks (plan, workload, shapes, deploys, hosts), each a complete text. */
    readonly blocks: readonly string[];
}

/** The plan's text with its blocks in `order` (indices into `blocks`; default file order). */
export function planText(p: QualityPlan, order?: readonly number[]): string {
    const idx = order ?? p.blocks.map((_, i) => i);
    return `${p.header}\n${idx.map(i => p.blocks[i]).join('\n')}\n`;
}

/** A seeded permutation of 0..n−1 (Fisher–Yates). */
export function permutation(n: number, seed: number): number[] {
    const r = rng(seed);
    const a = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
}

interface Params {
    vms: [number, number];
    hosts: [number, number];
    coreLoad: [number, number];
    memLoad: [number, number];
    backendCores: number[];
    hostSpread: 'mixed' | 'wide';
    pins: boolean;
    racks: boolean;
    /**
     * When set, the host count is not drawn from `hosts` but derived: the mean host's usable
     * cores is this multiple (drawn in the range) of the largest backend, within `hosts`.
     */
    hostPerBackend?: [number, number];
}

const PARAMS: Record<Exclude<Distribution, 'current'>, Params> = {
    heavy: {
        vms: [20, 80],
        hosts: [4, 16],
        coreLoad: [0.8, 0.95],
        memLoad: [0.6, 0.85],
        backendCores: [8, 10, 12, 16],
        hostSpread: 'mixed',
        pins: false,
        racks: false
    },
    'near-full': {
        vms: [20, 100],
        hosts: [4, 16],
        coreLoad: [0.95, 0.99],
        memLoad: [0.9, 0.98],
        backendCores: [4, 6, 8],
        hostSpread: 'mixed',
        pins: false,
        racks: false
    },
    'mixed-hosts': {
        vms: [20, 120],
        hosts: [4, 24],
        coreLoad: [0.8, 0.95],
        memLoad: [0.6, 0.9],
        backendCores: [4, 6, 8, 12],
        hostSpread: 'wide',
        pins: false,
        racks: false
    },
    'pins-racks': {
        vms: [20, 100],
        hosts: [4, 20],
        coreLoad: [0.8, 0.95],
        memLoad: [0.6, 0.9],
        backendCores: [4, 6, 8],
        hostSpread: 'mixed',
        pins: true,
        racks: true
    },
    issue: {
        vms: [20, 120],
        hosts: [4, 24],
        coreLoad: [0.8, 0.98],
        memLoad: [0.6, 0.9],
        backendCores: [4, 6, 8, 10, 12, 16],
        hostSpread: 'mixed',
        pins: false,
        racks: false
    },
    'small-hosts': {
        vms: [20, 100],
        hosts: [6, 40],
        coreLoad: [0.75, 0.92],
        memLoad: [0.6, 0.9],
        backendCores: [8, 12, 16],
        hostSpread: 'mixed',
        pins: false,
        racks: false,
        hostPerBackend: [1.1, 2]
    }
};

/** Generates one plan of a distribution (not `current`). */
function own(dist: Exclude<Distribution, 'current'>, k: number): QualityPlan {
    const P = PARAMS[dist];
    const r = rng(0x5eed0000 + DISTRIBUTIONS.indexOf(dist) * 10_007 + k);
    const uni = (a: number, b: number) => a + (b - a) * r();
    const int = (a: number, b: number) => a + Math.floor(r() * (b - a + 1));
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
    const vms = int(P.vms[0], P.vms[1]);
    let H = int(P.hosts[0], P.hosts[1]);
    const coreLoad = uni(P.coreLoad[0], P.coreLoad[1]);
    const memLoad = uni(P.memLoad[0], P.memLoad[1]);
    const directors = r() < 0.7;
    // counts per role: backends about 45% of the VMs, proxies 40%, directors the rest
    const nb = Math.max(2, Math.round(vms * uni(0.35, 0.55)));
    const nd = directors ? Math.max(2, Math.min(9, Math.round(vms * uni(0.08, 0.15)))) : 0;
    const np = Math.max(2, vms - nb - nd);
    // shapes: one or two per role
    type S = {
        name: string;
        role: 'proxy' | 'director' | 'backend';
        cores: number;
        mem: number;
        count: number;
    };
    const shapes: S[] = [];
    const split = (role: S['role'], n: number, sizes: number[], gibPerCore: () => number) => {
        const two = r() < 0.5 && n >= 4;
        const cs = two
            ? [...new Set([pick(sizes), pick(sizes)])].sort((a, b) => a - b)
            : [pick(sizes)];
        let left = n;
        cs.forEach((c, j) => {
            const count =
                j === cs.length - 1 ? left : Math.max(1, Math.round(left * uni(0.3, 0.7)));
            left -= count;
            if (count > 0)
                shapes.push({
                    name: `${role}_${c}c`,
                    role,
                    cores: c,
                    mem: Math.max(1, Math.round(c * gibPerCore())),
                    count
                });
        });
    };
    split('proxy', np, [1, 2, 4], () => 2);
    if (nd) split('director', nd, [2, 3, 4], () => 2);
    split('backend', nb, P.backendCores, () => 1); // memory set below from the memory load
    const cores = shapes.reduce((a, s) => a + s.cores * s.count, 0);
    if (P.hostPerBackend) {
        // drawn only here, so the other distributions' random streams are unchanged
        const big = Math.max(...shapes.filter(s => s.role === 'backend').map(s => s.cores));
        const mean = big * uni(P.hostPerBackend[0], P.hostPerBackend[1]);
        H = Math.min(P.hosts[1], Math.max(P.hosts[0], Math.round(cores / coreLoad / mean)));
    }
    // hosts: usable cores around cores / (load · H), varied; memory from the memory load
    const factors = Array.from({ length: H }, () =>
        P.hostSpread === 'wide' ? uni(0.5, 2) : pick([0.5, 0.75, 1, 1, 1.5, 2])
    );
    const fsum = factors.reduce((a, b) => a + b, 0);
    const biggest = Math.max(...shapes.map(s => s.cores));
    const usable = factors.map(f =>
        Math.max(biggest, 2 * Math.round(((f / fsum) * cores) / coreLoad / 2))
    );
    const usableSum = usable.reduce((a, b) => a + b, 0);
    // backend memory: what the memory load leaves after proxies and directors, per backend core
    const gibPerCore = uni(6, 10);
    const usableMem = usable.map(u => Math.round(u * gibPerCore));
    const memSum = usableMem.reduce((a, b) => a + b, 0);
    const otherMem = shapes
        .filter(s => s.role !== 'backend')
        .reduce((a, s) => a + s.mem * s.count, 0);
    const backendCores = shapes
        .filter(s => s.role === 'backend')
        .reduce((a, s) => a + s.cores * s.count, 0);
    const perCore = Math.max(2, (memLoad * memSum - otherMem) / backendCores);
    const maxMem = Math.max(...usableMem);
    for (const s of shapes)
        if (s.role === 'backend')
            s.mem = Math.min(maxMem, Math.max(2, Math.round(s.cores * perCore)));
    const reserve = pick([
        [2, 16],
        [2, 8],
        [1, 8],
        [4, 32]
    ] as const);
    const nRacks = P.racks ? int(2, 4) : 0;
    const width = String(H).length;
    const hostNames = usable.map((_, i) => `hv${String(i + 1).padStart(width, '0')}`);
    // pins: on about a third of the hosts, a few instances each within 40% of the host
    const pinsOf: string[][] = hostNames.map(() => []);
    if (P.pins) {
        const left = new Map(shapes.map(s => [s.name, s.count]));
        for (let h = 0; h < H; h++) {
            if (r() >= 0.35) continue;
            let c = 0.4 * usable[h],
                m = 0.4 * usableMem[h];
            for (const s of shapes) {
                if (r() < 0.5) continue;
                const n = Math.min(left.get(s.name)!, int(1, 2));
                let put = 0;
                while (put < n && s.cores <= c && s.mem <= m) {
                    c -= s.cores;
                    m -= s.mem;
                    put++;
                }
                if (put > 0) {
                    left.set(s.name, left.get(s.name)! - put);
                    pinsOf[h].push(`${put} x ${s.name}`);
                }
            }
        }
    }
    const name = `q_${dist.replace('-', '_')}_${k}`;
    const blocks: string[] = [];
    blocks.push(`plan ${name} {\n  title = "quality set: ${dist} ${k}"\n}\n`);
    const demand = new Map<string, number>();
    for (const s of shapes) demand.set(s.role, (demand.get(s.role) ?? 0) + s.cores * s.count);
    blocks.push(
        `workload peak {\n${[...demand].map(([role, c]) => `  ${role} = ${c} cores`).join('\n')}\n}\n`
    );
    for (const s of shapes) {
        const lp = s.role === 'backend' ? '' : ` login_processes = ${s.cores}`;
        blocks.push(
            `shape ${s.name} { role = ${s.role} cores = ${s.cores} memory = ${s.mem} GiB${lp} }\n`
        );
    }
    for (const s of shapes) blocks.push(`deploy ${s.count} x ${s.name}\n`);
    for (let h = 0; h < H; h++) {
        const lines = [
            `host ${hostNames[h]} {`,
            `  cores = ${usable[h] + reserve[0]}`,
            `  memory = ${usableMem[h] + reserve[1]} GiB`,
            `  hypervisor_cores = ${reserve[0]}`,
            `  hypervisor_memory = ${reserve[1]} GiB`
        ];
        if (nRacks) lines.push(`  rack = r${(h % nRacks) + 1}`);
        if (pinsOf[h].length) lines.push(`  runs = ${pinsOf[h].join(', ')}`);
        lines.push('}');
        blocks.push(lines.join('\n') + '\n');
    }
    const header = `// quality set (bench/quality/plans.ts): ${dist} #${k}: ${vms} VMs, ${H} hosts, core load ${((100 * cores) / usableSum).toFixed(1)}%`;
    return { name, distribution: dist, header, blocks };
}

/** Splits bench/generate.ts's text into its top-level blocks (the `current` distribution). */
function current(k: number, spec: Parameters<typeof generate>[0]): QualityPlan {
    const text = toText(generate(spec));
    const lines = text.split('\n');
    const header = lines[0];
    const blocks: string[] = [];
    let cur: string[] = [];
    let depth = 0;
    for (const line of lines.slice(1)) {
        if (line.trim() === '' && depth === 0) continue;
        cur.push(line);
        depth += (line.match(/\{/g)?.length ?? 0) - (line.match(/\}/g)?.length ?? 0);
        if (depth === 0) {
            blocks.push(cur.join('\n') + '\n');
            cur = [];
        }
    }
    return { name: `q_current_${k}`, distribution: 'current', header, blocks };
}

/**
 * The quality set: `perDistribution` plans of each distribution (default 50: 300 plans), in
 * `DISTRIBUTIONS` order. Deterministic.
 */
export function qualityPlans(perDistribution = 50): QualityPlan[] {
    const out: QualityPlan[] = [];
    const cur = qualitySet(perDistribution);
    cur.forEach(({ spec }, k) => out.push(current(k, spec)));
    for (const d of DISTRIBUTIONS)
        if (d !== 'current') for (let k = 0; k < perDistribution; k++) out.push(own(d, k));
    return out;
}
