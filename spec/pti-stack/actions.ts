/**
 * The steps every design shares: the hardware entry from user mode, the handler's sleep and interrupts,
 * the scheduler, IRET and do_exit. Design-specific entry and exit steps are in `paths.ts`.
 */
import { Set as ISet } from 'immutable';
import type { Action } from '../../src/index.js';
import {
  action,
  idleCpuRunnableTask,
  loadCr3,
  onCpuLabel,
  runningTasks,
  switchOut,
  taskStep,
  withTask,
  type OnCpu,
} from './steps.js';
import {
  cpu,
  kernelStack,
  mmOf,
  ptiOwner,
  ptiStack,
  putFrame,
  releaseFrame,
  setCpu,
  task,
  taskName,
  waitsForVcpu,
  type K,
  type Phase,
  type Pti,
} from './state.js';

/** How `__switch_to()` treats TSS.sp0. */
export type Sp0Policy = 'percpu' | 'pertask' | 'lazy';

/**
 * Whether a lazy switch may skip update_task_stack here: only when sp0 holds another task's PTI stack
 * (the first switch on a CPU always sets it up, and skipping when it is already right changes nothing).
 */
function maySkipUpdate(s: Pti, policy: Sp0Policy, c: number, t: number): boolean {
  const owner = ptiOwner(cpu(s, c).sp0);
  return policy === 'lazy' && owner >= 0 && owner !== t;
}

interface DispatchParam {
  readonly cpu: number;
  readonly t: number;
  /** False when this switch skips update_task_stack (pti-c-pertask-lazy-sp0 only). */
  readonly updateSp0: boolean;
}

/**
 * `context_switch()` → `switch_mm_irqs_off()` and `__switch_to()` → `update_task_stack()` on `cpu`:
 * the CPU picks a runnable task, possibly not the one that ran there before (that is migration).
 * switch_mm_irqs_off() writes CR3, with the kernel PGD, only when the mm changes; switching to a
 * thread of the loaded mm (or back to it after idle, which keeps it lazily) leaves CR3 as it was.
 * A task that never ran yet is dispatched straight into user mode (its first exit is not modelled).
 * percpu: sp0 always points to this CPU's trampoline (v5.10 only reloads it under XENPV).
 * pertask: `load_sp0(task_top_of_stack(next))`, the RFC's PTI stack [PTI-RFC-14].
 */
export function makeDispatch(policy: Sp0Policy): Action<Pti, K> {
  return action<DispatchParam>({
    name: 'dispatch',
    doc: 'context_switch()/__switch_to(): run a runnable task on an idle CPU, update_task_stack() per design',
    params: (s) =>
      idleCpuRunnableTask(s).flatMap(({ cpu: c, t }) =>
        maySkipUpdate(s, policy, c, t) ? [{ cpu: c, t, updateSp0: true }, { cpu: c, t, updateSp0: false }] : [{ cpu: c, t, updateSp0: true }],
      ),
    effect: (s, p, k) => {
      const x = task(s, p.t);
      const c = cpu(s, p.cpu);
      const sp0 = policy !== 'percpu' && p.updateSp0 ? ptiStack(p.t) : c.sp0;
      const mm = mmOf(p.t, k);
      const cr3 = x.ph === 'user' ? 'user' : mm !== c.mm ? 'kern' : c.cr3;
      const s1 = setCpu(s, p.cpu, (y) => y.merge({ cur: p.t, mm, cr3, sp0 }));
      return withTask(s1, p.t, { sched: 'running', cpu: p.cpu });
    },
    label: (p) => `dispatch(${taskName(p.t)}, cpu=${p.cpu}${p.updateSp0 ? '' : ', sp0 not updated'})`,
  });
}

/**
 * The CPU takes an interrupt or exception from user mode: the hardware pushes the IRET frame at TSS.sp0
 * (one slot: a user entry always starts at the stack top) and clears IF. With `vcpuMutex` (per-vCPU
 * stack only) a task may push onto the vCPU stack only while it holds vcpu->mutex, which KVM_RUN holds
 * for its whole duration; taking it here is a sound abstraction of "held across the frame's lifetime".
 */
export function makeHwEntryFromUser(opts: { readonly vcpuMutex: boolean }): Action<Pti, K> {
  return taskStep({
    name: 'hw_entry_from_user',
    doc: 'IDT delivery from CPL3: push SS/RSP/RFLAGS/CS/RIP at TSS.sp0, IF=0 (entry_64.S idtentry)',
    phases: ['user'],
    guard: (s, p, k) => !(opts.vcpuMutex && k.vcpuMutex && waitsForVcpu(s, p.t)),
    effect: (s, p, k) => {
      const stk = cpu(s, p.cpu).sp0;
      const s1 = putFrame(s, stk, taskName(p.t));
      const s2 = opts.vcpuMutex && k.vcpuMutex ? s1.set('vcpuOwner', p.t) : s1;
      return withTask(s2, p.t, { ph: 'hw', retStk: stk, entryCpu: p.cpu, irqOn: false });
    },
  });
}

/** `local_irq_enable()` / `cond_local_irq_enable()` in the handler; `phases` where the design allows it. */
export function makeHandlerIrqOn(phases: readonly Phase[]): Action<Pti, K> {
  return taskStep({
    name: 'handler_irq_on',
    doc: 'cond_local_irq_enable(regs) in a #PF/#GP handler: from here IRQs can nest and the handler can sleep',
    phases,
    guard: (s, p) => !task(s, p.t).irqOn,
    effect: (s, p) => withTask(s, p.t, { irqOn: true }),
  });
}

/** The handler sleeps: `schedule()` from a #PF that waits for I/O, with IRQs on (§1.3 schedule_sleep). */
export const handlerSleep = taskStep({
  name: 'handler_sleep',
  doc: 'schedule() in the handler body (e.g. handle_mm_fault waiting for I/O); the task blocks',
  phases: ['body'],
  guard: (s, p) => task(s, p.t).irqOn,
  effect: (s, p) => switchOut(s, p, 'blocked'),
});

/** `try_to_wake_up()` from another context: the sleeper becomes runnable on any CPU. */
export const wakeUp = action<number>({
  name: 'wake_up',
  doc: 'try_to_wake_up(): the I/O the handler waited for completes',
  params: (s) => s.tasks.toArray().flatMap((x, t) => (x.sched === 'blocked' ? [t] : [])),
  effect: (s, t) => withTask(s, t, { sched: 'runnable' }),
  label: (t) => `wake_up(${taskName(t)})`,
});

/**
 * An IRQ arrives while the task's kernel code has IRQs on. `by-cs` (mainline, and the RFC): CS says
 * kernel, so the entry does not touch CR3. `by-cr3` (paranoid style): read CR3, switch to the kernel CR3
 * if it is the user one, and stash the old value on the stack for the exit.
 */
export function makeIrqEntryKernel(decide: 'by-cs' | 'by-cr3'): Action<Pti, K> {
  return action<OnCpu>({
    name: 'irq_entry_kernel',
    doc: 'IRQ from kernel mode: idtentry without the user-mode CR3 switch; then the (unmapped) IRQ handler body',
    params: runningTasks,
    guard: (s, p) => task(s, p.t).irqOn && !task(s, p.t).irq,
    effect: (s, p) => {
      const old = cpu(s, p.cpu).cr3;
      if (decide === 'by-cs') return withTask(s, p.t, { irq: true, stash: 'none' });
      return withTask(loadCr3(s, p.cpu, 'kern'), p.t, { irq: true, stash: old });
    },
    label: onCpuLabel('irq_entry_kernel'),
  });
}

/** The IRQ returns to the interrupted kernel code, restoring the stashed CR3 if it stashed one. */
export const irqExitKernel = action<OnCpu>({
  name: 'irq_exit_kernel',
  doc: 'irqentry_exit() to kernel mode, then the asm exit (paranoid style: restore the stashed CR3) and IRET',
  params: runningTasks,
  guard: (s, p) => task(s, p.t).irq,
  effect: (s, p) => {
    const { stash } = task(s, p.t);
    const s1 = stash === 'none' ? s : loadCr3(s, p.cpu, stash);
    return withTask(s1, p.t, { irq: false, stash: 'none' });
  },
  label: onCpuLabel('irq_exit_kernel'),
});

/**
 * `irqentry_exit()` → `preempt_schedule_irq()`: the interrupted code had IRQs on and preempt_count 0,
 * so the task is preempted before the asm part of the IRQ exit runs; it finishes it when dispatched.
 */
export const preemptIrq = action<OnCpu>({
  name: 'preempt_irq',
  doc: 'irqentry_exit_cond_resched(): preemption at the IRQ exit, before the asm exit (and its CR3 restore)',
  params: runningTasks,
  guard: (s, p) => task(s, p.t).irq,
  effect: (s, p) => switchOut(s, p, 'runnable'),
  label: onCpuLabel('preempt_irq'),
});

/**
 * IRET to user mode from the entry stack: pops the frame, so the slot holds no live frame of this
 * task any more. A per-vCPU stack's vcpu->mutex owner is done with it here.
 */
export const iretToUser = taskStep({
  name: 'iret_to_user',
  doc: 'swapgs; iretq from the entry stack (swapgs_restore_regs_and_return_to_usermode, or the C exit)',
  phases: ['iret'],
  effect: (s, p) => {
    const x = task(s, p.t);
    const s1 = releaseFrame(s, x.retStk, p.t);
    const s2 = s1.vcpuOwner === p.t ? s1.set('vcpuOwner', -1) : s1;
    return withTask(s2, p.t, { ph: 'user', retStk: '', entryCpu: -1, irqOn: false });
  },
});

/**
 * `do_exit()` from the handler (a fatal signal in #PF): the task never returns, its stacks are freed.
 * With a per-task PTI stack, `unmap` says whether the stack leaves the mm's user page table.
 */
export function makeDoExit(opts: { readonly freePtiStack: boolean; readonly unmap: boolean }): Action<Pti, K> {
  return taskStep({
    name: 'do_exit',
    doc: 'do_exit() from the handler body; free_thread_stack(), and with a PTI stack its pti_unmap (RFC)',
    phases: ['body'],
    effect: (s, p, k) => {
      const x = task(s, p.t);
      let s1 = releaseFrame(releaseFrame(s, kernelStack(p.t), p.t), x.retStk, p.t);
      if (opts.freePtiStack) s1 = releaseFrame(s1, ptiStack(p.t), p.t);
      if (opts.freePtiStack && opts.unmap) {
        const m = mmOf(p.t, k);
        s1 = s1.set('mapped', s1.mapped.set(m, (s1.mapped.get(m) ?? ISet<number>()).delete(p.t)));
      }
      if (s1.vcpuOwner === p.t) s1 = s1.set('vcpuOwner', -1);
      s1 = setCpu(s1, p.cpu, (c) => c.set('cur', -1));
      return withTask(s1, p.t, { ph: 'dead', sched: 'dead', cpu: -1, entryCpu: -1, retStk: '', irqOn: false });
    },
  });
}
