/**
 * Adversarial plan generator for the bounded-time row of the bench and the planner's work-budget
 * tests (issue 13, "Bounded time"): unlike `generate.ts` (Dovecot-like plans at a target load),
 * it looks for what makes the host-failure and N+1 searches slow — many hosts of mixed, odd sizes
 * filled close to full, instance sizes that fragment the spare room (odd vCPUs, memory that does
 * not divide the hosts'), pins, and `tolerate_host_failures` 0, 1 or 2. Plans stay within the
 * issue's envelope: at most 200 hosts and 2,000 instances. Seeded (mulberry32), so the same seed
 * gives the same plan on every machine.
 */
import { expandInstances, type Host, type PlanModel, type Role } from '../src/planner/model.js';
import { modelShapesAndDeployments, rng, shapeLines } from './generate.js';

/** One adversarial plan as plain data (hosts with pins), before names are resolved. */
export interface AdversarialPlan {
    readonly name: string;
    readonly tolerate: number;
    readonly shapes: { name: string; role: Role; cores: number; memoryGiB: number }[];
    readonly deploy: { shape: string; count: number }[];
    /** Usable vCPUs and GiB (no hypervisor reserve), pins by shape name. */
    readonly hosts: {
        name: string;
        cores: number;
        memoryGiB: number;
        pins: { shape: string; count: number }[];
    }[];
}

const ROLES: Role[] = ['proxy', 'director', 'backend'];

/**
 * The adversarial plan of `seed`: 2–200 hosts drawn from a few odd sizes (3–61 vCPUs, 5–509
 * GiB), 2–7 shapes of odd sizes (1–23 vCPUs, 1–197 GiB), deployed until the cores reach 70–100%
 * of the usable total (capped at 2,000 instances), a few pins, tolerate 0/1/2.
 */
export function adversarialPlan(seed: number): AdversarialPlan {
    const r = rng(seed * 104_729 + 17);
    const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
    // a few host sizes (mixed), sometimes one lopsided size (many cores, little memory)
    const sizes: { cores: number; memoryGiB: number }[] = [];
    for (let k = int(1, 4); k > 0; k--) {
        const cores = pick([3, 5, 7, 8, 11, 13, 16, 23, 31, 47, 61]);
        const memoryGiB = r() < 0.2 ? int(5, 24) : int(cores, cores * 9);
        sizes.push({ cores, memoryGiB });
    }
    const H = r() < 0.3 ? int(2, 24) : int(20, 200);
    const hosts: AdversarialPlan['hosts'] = [];
    for (let h = 0; h < H; h++) hosts.push({ name: `hv${h + 1}`, ...pick(sizes), pins: [] });
    const shapes: AdversarialPlan['shapes'] = [];
    const S = int(2, 7);
    const maxC = Math.max(...sizes.map(s => s.cores)),
        maxM = Math.max(...sizes.map(s => s.memoryGiB));
    for (let s = 0; s < S; s++) {
        const cores = Math.max(1, Math.min(maxC, pick([1, 2, 3, 5, 6, 7, 9, 11, 13, 17, 23])));
        const memoryGiB = Math.max(1, Math.min(maxM, Math.round(cores * (0.5 + r() * 9))));
        shapes.push({ name: `s${s + 1}`, role: ROLES[s % 3], cores, memoryGiB });
    }
    const usableC = hosts.reduce((a, h) => a + h.cores, 0);
    const load = 0.7 + r() * 0.3;
    const counts = new Array<number>(S).fill(0);
    let total = 0,
        deployed = 0;
    while (deployed < load * usableC && total < 2_000) {
        const s = int(0, S - 1);
        counts[s]++;
        total++;
        deployed += shapes[s].cores;
    }
    const deploy = shapes
        .map((s, k) => ({ shape: s.name, count: counts[k] }))
        .filter(d => d.count > 0);
    // pins: a few hosts run some instances by hand (within the deployed counts)
    const left = [...counts];
    for (let k = r() < 0.5 ? int(1, Math.min(5, H)) : 0; k > 0; k--) {
        const h = hosts[int(0, H - 1)],
            s = int(0, S - 1);
        const n = Math.min(left[s], int(1, 3));
        if (n > 0 && n * shapes[s].cores <= h.cores) {
            h.pins.push({ shape: shapes[s].name, count: n });
            left[s] -= n;
        }
    }
    return { name: `adv_${seed}`, tolerate: pick([0, 1, 2, 2]), shapes, deploy, hosts };
}

/** The `PlanModel` of an adversarial plan (what the language layer builds from `adversarialText`). */
export function adversarialModel(g: AdversarialPlan): PlanModel {
    const ref = (index: number) => ({ file: `${g.name}.dcplan`, index });
    const { shapes, deployments } = modelShapesAndDeployments(g.name, g.shapes, g.deploy);
    const hosts: Host[] = g.hosts.map((h, index) => ({
        name: h.name,
        cores: h.cores,
        threadsPerCore: 1,
        memoryGiB: h.memoryGiB,
        numaNodes: 1,
        hypervisorCores: 0,
        hypervisorMemoryGiB: 0,
        usableCores: h.cores,
        usableMemoryGiB: h.memoryGiB,
        pins: h.pins.map((p, pinIndex) => ({ ...p, pinIndex })),
        hypervisorCoresSet: true,
        hypervisorMemorySet: true,
        ref: ref(index),
        nameIndex: 0
    }));
    return {
        settings: {
            name: g.name,
            dovecot: '2.3',
            platform: 'virtual',
            mailStorage: 'block',
            tolerateHostFailures: g.tolerate
        },
        workloads: [],
        shapes,
        deployments,
        hosts,
        instances: expandInstances(shapes, deployments)
    };
}

/** The `.dcplan` text of an adversarial plan: one host block per host, pins as `runs`. */
export function adversarialText(g: AdversarialPlan): string {
    const lines: string[] = [`plan ${g.name} {`, `  dovecot = "2.3"`];
    if (g.tolerate) lines.push(`  tolerate_host_failures = ${g.tolerate}`);
    lines.push('}', '');
    lines.push(...shapeLines(g.shapes));
    for (const d of g.deploy) lines.push(`deploy ${d.count} x ${d.shape}`);
    lines.push('');
    for (const h of g.hosts) {
        const runs =
            h.pins.length > 0
                ? ` runs = ${h.pins.map(p => `${p.count} x ${p.shape}`).join(', ')}`
                : '';
        lines.push(
            `host ${h.name} { cores = ${h.cores} memory = ${h.memoryGiB} GiB hypervisor_cores = 0 hypervisor_memory = 0 GiB${runs} }`
        );
    }
    return lines.join('\n') + '\n';
}

/**
 * A plan that fragments memory for the exact fallback of `place` (issue 15, its time bound):
 * `instances` pieces of 3, 4, 5 and 7 vCPUs (proxy, director, backend, backend) whose GiB
 * (4 per vCPU plus 1–9) do not divide the hosts', on hosts of 13 and 11 vCPUs (4 GiB per vCPU
 * plus 2–14) with about 0–4% more vCPUs than deployed. The heuristic leaves pieces out where an
 * exact packing places more, and HiGHS's root node (presolve, cuts) is slow on it. Seeded.
 * `hostScale` k > 1 makes every host k times as large (k × 13 or k × 11 vCPUs, the GiB above
 * 4 per vCPU k times too), about k times fewer of them: more packings per host (the pattern
 * model's columns, exact-patterns.ts); k = 1 is the plan as it always was.
 */
export function fragmentingPlan(seed: number, instances: number, hostScale = 1): AdversarialPlan {
    const r = rng(seed * 7919 + 3);
    const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
    const cores = [3, 4, 5, 7];
    const roles: Role[] = ['proxy', 'director', 'backend', 'backend'];
    const shapes = cores.map((c, k) => ({
        name: `p${c}`,
        role: roles[k],
        cores: c,
        memoryGiB: c * 4 + int(1, 9)
    }));
    const counts = [0, 0, 0, 0];
    let deployed = 0;
    for (let i = 0; i < instances; i++) {
        const s = int(0, 3);
        counts[s]++;
        deployed += cores[s];
    }
    const hosts: AdversarialPlan['hosts'] = [];
    let usable = 0;
    while (usable < deployed * (1 + r() * 0.04)) {
        const c = (r() < 0.5 ? 13 : 11) * hostScale;
        hosts.push({
            name: `hv${hosts.length + 1}`,
            cores: c,
            memoryGiB: c * 4 + int(2, 14) * hostScale,
            pins: []
        });
        usable += c;
    }
    return {
        name: `frag_${seed}_${instances}${hostScale > 1 ? `_x${hostScale}` : ''}`,
        tolerate: 0,
        shapes,
        deploy: deployOf(shapes, counts),
        hosts
    };
}

/**
 * A plan that fits exactly, for the exact fallback (issue 15: never "does not fit" when it
 * fits): `instances` pieces of six shapes (3, 5 and 7 vCPUs over the three roles, GiB that share
 * no factor with the vCPUs) dealt at random onto `hosts` hosts (default instances / 8), each host
 * then sized to exactly what it was dealt, vCPUs and GiB. A full placement exists by
 * construction; every host differs, so the maximal packings are tens of thousands (the pattern
 * model's columns are generated, not listed). Seeded.
 */
export function exactFitPlan(seed: number, instances: number, hosts?: number): AdversarialPlan {
    const r = rng(seed * 6007 + 11);
    const kinds: { role: Role; cores: number; memoryGiB: number }[] = [
        { role: 'proxy', cores: 3, memoryGiB: 5 },
        { role: 'proxy', cores: 5, memoryGiB: 7 },
        { role: 'director', cores: 3, memoryGiB: 7 },
        { role: 'backend', cores: 5, memoryGiB: 13 },
        { role: 'backend', cores: 7, memoryGiB: 11 },
        { role: 'backend', cores: 3, memoryGiB: 9 }
    ];
    const shapes = kinds.map((k, i) => ({ name: `s${i + 1}_${k.cores}c`, ...k }));
    const H = Math.max(2, hosts ?? Math.round(instances / 8));
    const counts = kinds.map(() => 0);
    const dealt = Array.from({ length: H }, () => ({ cores: 0, memoryGiB: 0 }));
    for (let i = 0; i < instances; i++) {
        const s = Math.floor(r() * kinds.length);
        const h = Math.floor(r() * H);
        counts[s]++;
        dealt[h].cores += kinds[s].cores;
        dealt[h].memoryGiB += kinds[s].memoryGiB;
    }
    return {
        name: `exact_fit_${seed}_${instances}`,
        tolerate: 0,
        shapes,
        deploy: deployOf(shapes, counts),
        // a host dealt nothing still gets one vCPU and one GiB (a host of 0 vCPUs is an error)
        hosts: dealt.map((d, k) => ({
            name: `h${k + 1}`,
            cores: Math.max(1, d.cores),
            memoryGiB: Math.max(1, d.memoryGiB),
            pins: []
        }))
    };
}

/**
 * A plan dealt onto hosts sized to what they were dealt (issue 15, after a newcomer's generator
 * of this kind found plans that fit and were said not to): 4–14 shapes of 1–16 vCPUs over the
 * three roles, memory 0.7–9 GiB per vCPU plus an odd number of MiB (sizes that share no
 * factor); `instances` VMs of random shapes dealt onto about one host per 24–96 of their vCPUs,
 * half in turn and half at random; each host then gets exactly the vCPUs and GiB dealt to it,
 * plus `slackCores` vCPUs and as many GiB on a random third of the hosts. A full placement
 * exists by construction; the hosts all differ. Seeded.
 */
export function dealtPlan(seed: number, instances: number, slackCores = 0): AdversarialPlan {
    const r = rng(seed * 7919 + instances * 31 + slackCores);
    const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
    const shapes: AdversarialPlan['shapes'] = [];
    for (let s = int(4, 14), k = 0; k < s; k++) {
        const cores = int(1, 16);
        const mib = cores * int(700, 9000) + int(1, 1023);
        shapes.push({
            name: `s${k + 1}_${cores}c`,
            role: ROLES[k < 3 ? k : int(0, 2)],
            cores,
            memoryGiB: mib / 1024
        });
    }
    const dealt = Array.from({ length: instances }, () => int(0, shapes.length - 1));
    const cores = dealt.reduce((a, s) => a + shapes[s].cores, 0);
    const H = Math.max(2, Math.floor(cores / int(24, 96)));
    const hosts = Array.from({ length: H }, (_, h) => ({
        name: `h${h + 1}`,
        cores: 0,
        memoryGiB: 0,
        pins: [] as { shape: string; count: number }[]
    }));
    dealt.forEach((s, i) => {
        const h = r() < 0.5 ? i % H : int(0, H - 1);
        hosts[h].cores += shapes[s].cores;
        hosts[h].memoryGiB += shapes[s].memoryGiB;
    });
    for (const h of hosts) {
        if (slackCores > 0 && r() < 1 / 3) {
            h.cores += slackCores;
            h.memoryGiB += slackCores;
        }
        // a host dealt nothing still gets one vCPU and one GiB (a host of 0 vCPUs is an error)
        h.cores = Math.max(1, h.cores);
        h.memoryGiB = Math.max(1, h.memoryGiB);
    }
    const counts = shapes.map((_, s) => dealt.filter(d => d === s).length);
    return {
        name: `dealt_${seed}_${instances}${slackCores ? `_slack${slackCores}` : ''}`,
        tolerate: 0,
        shapes,
        deploy: deployOf(shapes, counts),
        hosts
    };
}

/** `deploy` lines of a generated plan: counts[k] of shapes[k], shapes dealt none left out. */
function deployOf(
    shapes: readonly { name: string }[],
    counts: readonly number[]
): AdversarialPlan['deploy'] {
    return shapes.map((s, k) => ({ shape: s.name, count: counts[k] })).filter(d => d.count > 0);
}
