/**
 * The design proposals of MODELS.md §2.4. Each one rebuilds the actions around its own hooks; the action
 * names stay the same, so traces of different proposals read alike.
 */
import type { Action, ModelParts, Proposal } from '../../src/index.js';
import * as a from './actions.js';
import {
  idtentryCache,
  irqentryRfcv3,
  nmiUncovered,
  ptregsAuxMsrFirst,
  ptregsAuxReset,
  ptregsAuxV10,
  threadStack,
  type Design,
} from './designs.js';
import { pkrsStackNoOverflow, pkrsThreadMatchesMsrCache } from './properties.js';
import * as sched from './sched.js';
import type { K, Machine } from './state.js';
import { pksWritePkrsCache, pksWritePkrsWrmsr } from './write.js';

/**
 * Every action of the model, in exploration order, running design `d`'s hooks. There is no step 2 for a
 * one-step pks_set, and no separate cache-store and wrmsr steps under `coarse` granularity.
 */
export function actionsFor(d: Design, k: K): Action<Machine, K>[] {
  return [
    a.entrySyscall,
    a.irqentryEnter(d),
    a.irqentryNmiEnter(d),
    a.pksSet(d),
    ...(d.second ? [a.pksUpdateProtection(d)] : []),
    ...(k.granularity === 'nmi' ? [pksWritePkrsCache, pksWritePkrsWrmsr] : []),
    a.irqentryExit(d),
    a.irqentryNmiExit(d),
    a.syscallExit,
    sched.schedule(d),
    sched.switchTo(d),
  ];
}

type P = Proposal<Machine, K>;
type Parts = ModelParts<Machine, K>;

/** The proposal's patch: the same actions, running design `d`'s hooks. */
const withDesign = (d: Design) => (parts: Parts, k: K): Parts => ({ ...parts, actions: actionsFor(d, k) });

export const baseline = 'pks-thread-only';

export const proposals: readonly P[] = [
  {
    id: 'pks-thread-only',
    summary: 'PKRS lives only in thread_struct.saved_pkrs, context-switched; entries and exits do nothing',
    source: 'Fenghua Yu, Msg 20200723165204.GB77434@romley-ivt3.sc.intel.com (seed 000)',
  },
  {
    id: 'pks-thread-stack',
    summary: 'A per-thread stack of saved PKRS values and an index: every entry pushes and resets, every exit pops',
    source: 'Thomas Gleixner, Msg 87imeevv6b.fsf@nanos.tec.linutronix.de ("A stack of 7 entries and an index")',
    patch: withDesign(threadStack),
    addProperties: [pkrsStackNoOverflow],
  },
  {
    id: 'pks-idtentry-cache',
    summary: 'The per-CPU cache is the live value: idtentry saves it and writes INIT, exit writes it back; switch-out saves it',
    source: 'Thomas Gleixner\'s summary, Msg 874kpwtxlh.fsf@nanos.tec.linutronix.de, as quoted and accepted in Msg CALCETrXM1q664Udfq-LnU8SaUxSn-S+FkFRP1M9n3Aav9bjChA@mail.gmail.com',
    patch: (parts, k) => ({
      ...withDesign(idtentryCache)(parts, k),
      properties: parts.properties.map((p) => (p.name === pkrsThreadMatchesMsrCache.name ? pkrsThreadMatchesMsrCache : p)),
    }),
  },
  {
    id: 'pks-irqentry-rfcv3',
    summary: 'irq_save_pkrs()/irq_restore_pkrs() keep pkrs_cache and thread_pkrs in irqentry_state_t; kernel-mode entries and NMI only',
    source: 'Ira Weiny, [PATCH RFC V3 7/9], Msg 20201009194258.3207172-8-ira.weiny@intel.com',
    patch: withDesign(irqentryRfcv3),
  },
  {
    id: 'pks-ptregs-aux-v10',
    summary: 'pks_save_pt_regs() saves thread.pkrs in pt_regs_auxiliary and writes INIT on every entry; pks_set stores the thread value, then the MSR',
    source: 'Ira Weiny, [PATCH V10 21/44], Msg 20220419170649.1022246-22-ira.weiny@intel.com (with V8 23/44 Msg 20220127175505.851391-24-ira.weiny@intel.com and V10 13/44 Msg 20220419170649.1022246-14-ira.weiny@intel.com)',
    patch: withDesign(ptregsAuxV10),
  },
  {
    id: 'pks-ptregs-aux-msrfirst',
    summary: 'As V10, but pks_update_protection() writes the MSR first and stores thread.pkrs after (Kees Cook\'s order)',
    source: 'Kees Cook, Msg 202205091304.434A9B45@keescook; weiny2/linux-kernel:arch/x86/include/asm/pks.h@02f1931b1c142d1a9024e6497ece44a9e6ca7278',
    patch: withDesign(ptregsAuxMsrFirst),
  },
  {
    id: 'pks-ptregs-aux-reset',
    summary: 'As V10, but the entry hook also resets thread.pkrs to INIT before writing the MSR (so handlers and their sleeps see INIT)',
    source: 'MODELS.md §2.4 [J]: a proposed fix, no mailing-list source',
    patch: withDesign(ptregsAuxReset),
  },
  {
    id: 'pks-nmi-uncovered',
    summary: 'pks-idtentry-cache where NMI-class entries have no save slot, so NMI entry and exit leave PKRS alone',
    source: 'Thomas Gleixner, Msg 874kpwtxlh.fsf@nanos.tec.linutronix.de ("#BP, #MC, #NMI, #DB, #DF need extra local storage")',
    extends: 'pks-idtentry-cache',
    patch: withDesign(nmiUncovered(idtentryCache)),
  },
];
