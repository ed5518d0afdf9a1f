using GoHeapDump.Runtime;

namespace GoHeapDump.Reference;

public sealed partial class HeapDumpWriter
{
    /// <summary>Go: heapdump.go dumpgs: runnable, syscall and waiting goroutines are dumped, dead ones skipped (from 1.26
    /// dead-extra ones too), anything else is fatal (from 1.26 after dumping a running goroutine that is in a system call).</summary>
    private void DumpGs()
    {
        foreach (var gp in _state.Goroutines)
        {
            switch (gp.Status)
            {
                case GoroutineStatus.Dead:
                    break;
                case GoroutineStatus.DeadExtra when _release.DumpgsKnowsRunningAndDeadExtra:
                    break;
                case GoroutineStatus.Runnable or GoroutineStatus.Syscall or GoroutineStatus.Waiting:
                    DumpGoroutine(gp);
                    break;
                default:
                    // Go 1.26+: a running goroutine in a system call is dumped before the throw ("fallthrough").
                    if (gp.Status == GoroutineStatus.Running && gp.SyscallSp != 0 && _release.DumpgsKnowsRunningAndDeadExtra)
                    {
                        DumpGoroutine(gp);
                    }

                    throw Throw("dumpgs in STW - bad status", $"runtime: unexpected G.status 0x{gp.Status:x}");
            }
        }
    }

    /// <summary>Go: heapdump.go dumpgoroutine: the goroutine record, its frames (traceback), its defers, its panics.</summary>
    private void DumpGoroutine(Goroutine gp)
    {
        DumpInt((ulong)RecordKind.Goroutine);
        DumpInt(gp.Address);
        DumpInt(gp.TracebackSp); // syscallsp when non-zero, else sched.sp
        DumpInt((ulong)gp.Goid);
        DumpInt(gp.Gopc);
        DumpInt(gp.Status);
        DumpBool(gp.IsSystem);
        DumpBool(false); // Go: isbackground, always false
        DumpInt((ulong)gp.WaitSince);
        DumpStr(gp.WaitReason < _state.WaitReasonStrings.Length ? _state.WaitReasonStrings[gp.WaitReason] : GoRuntime.UnknownWaitReason);
        DumpInt(gp.SchedCtxt);
        DumpInt(gp.M);
        DumpInt(gp.Defers.IsEmpty ? 0 : gp.Defers[0].Address);
        DumpInt(gp.Panics.IsEmpty ? 0 : gp.Panics[0].Address);

        Traceback(gp);

        for (var i = 0; i < gp.Defers.Length; i++)
        {
            var d = gp.Defers[i];
            DumpInt((ulong)RecordKind.Defer);
            DumpInt(d.Address);
            DumpInt(gp.Address);
            DumpInt(d.Sp);
            DumpInt(d.Pc);
            DumpInt(d.Fn?.Address ?? 0);
            DumpInt(d.Fn?.Entry ?? 0); // Go: "d.fn can be nil for open-coded defers"
            DumpInt(i + 1 < gp.Defers.Length ? gp.Defers[i + 1].Address : 0);
        }

        for (var i = 0; i < gp.Panics.Length; i++)
        {
            var p = gp.Panics[i];
            DumpInt((ulong)RecordKind.Panic);
            DumpInt(p.Address);
            DumpInt(gp.Address);
            DumpInt(p.ArgType);
            DumpInt(p.ArgData);
            DumpInt(0); // Go: "was p->defer, no longer recorded"
            DumpInt(i + 1 < gp.Panics.Length ? gp.Panics[i + 1].Address : 0);
        }
    }

    /// <summary>
    /// Go: runtime/traceback.go gentraceback(…, dumpframe, &amp;child) over the model's frames. An unresolvable
    /// PC is fatal: for the first frame before any callback ("unknown pc"), for a caller while unwinding its
    /// callee, i.e. before the callee's callback ("unknown caller pc").
    /// </summary>
    private void Traceback(Goroutine gp)
    {
        var frames = gp.Frames;
        if (frames.IsEmpty)
        {
            return;
        }

        if (frames[0].Function is null)
        {
            throw Throw("unknown pc", $"runtime: g {gp.Goid}: unknown pc 0x{frames[0].Pc:x}");
        }

        // Go: dumpgoroutine: child.args.n = -1, arglen = 0, sp = nil, depth = 0 (argoff zero-valued).
        var child = new ChildInfo();
        for (var k = 0; k < frames.Length; k++)
        {
            if (k + 1 < frames.Length && frames[k + 1].Function is null)
            {
                throw Throw("unknown caller pc", $"runtime: g {gp.Goid}: unexpected return pc for {frames[k].Function!.Name} called from 0x{frames[k + 1].Pc:x}");
            }

            DumpFrame(frames[k], ref child);
        }
    }

    /// <summary>Go: heapdump.go childInfo: what a frame tells its caller about the outgoing-arguments region.</summary>
    private struct ChildInfo
    {
        /// <summary>Where the arguments start in the caller's frame.</summary>
        public ulong ArgOff;

        /// <summary>Size of the arguments region.</summary>
        public ulong ArgLen;

        /// <summary>Pointer map of the arguments region; null for n = −1 (unknown: conservative).</summary>
        public BitVector? Args;

        /// <summary>The callee's sp, 0 at the bottom.</summary>
        public ulong Sp;

        /// <summary>Depth in the call stack, 0 = most recent.</summary>
        public ulong Depth;
    }

    /// <summary>Go: heapdump.go dumpframe.</summary>
    private void DumpFrame(StackFrame s, ref ChildInfo child)
    {
        var f = s.Function!;

        // Stack-map index: −1 ("use the entry map") at the entry PC; otherwise the PCDATA value at pc−1;
        // a missing value (−1) is taken as 0, "likely the function prologue".
        var pcdata = -1;
        if (s.Pc != f.Entry)
        {
            var pc = (s.Pc - 1) & _mask;
            if (f.StackMapIndex is { } table && table.TryLookup(f.Entry, pc, out var value))
            {
                pcdata = value;
            }
        }

        if (pcdata == -1)
        {
            pcdata = 0;
        }

        var stkmap = f.LocalsPointerMaps;
        var bv = stkmap is { Count: > 0 } ? stkmap.Bitmaps[pcdata] : null;

        DumpInt((ulong)RecordKind.StackFrame);
        DumpInt(s.Sp);
        DumpInt((_faults & WriterFaults.FrameDepthOffByOne) == 0 ? child.Depth : child.Depth + 1);
        DumpInt(child.Sp);
        DumpMemRange(s.Contents.AsSpan());
        DumpInt(f.Entry);
        DumpInt(s.Pc);
        DumpInt(s.ContinuationPc);
        DumpStr(f.Name.Length == 0 ? UnknownFunction : f.Name);

        // Outgoing arguments (in this frame, for the callee): the callee's args map, or every word.
        if (child.Args is { } args)
        {
            DumpBv(args, child.ArgOff);
        }
        else
        {
            var end = (child.ArgOff + child.ArgLen) & _mask;
            for (var off = child.ArgOff; off < end; off += (ulong)_ptrSize)
            {
                DumpPtrField(off);
            }
        }

        // Locals.
        var localsTop = (s.Varp - s.Sp) & _mask;
        if (stkmap is null)
        {
            // No locals information: every word above the outgoing arguments.
            for (var off = child.ArgLen; off < localsTop; off += (ulong)_ptrSize)
            {
                DumpPtrField(off);
            }
        }
        else if (stkmap.Count < 0)
        {
            // Locals size information: every word of the −n bytes below varp.
            var size = (ulong)-(long)stkmap.Count;
            for (var off = (s.Varp - size - s.Sp) & _mask; off < localsTop; off += (ulong)_ptrSize)
            {
                DumpPtrField(off);
            }
        }
        else if (stkmap.Count > 0)
        {
            // Locals bitmap: the pointers among the nbit words below varp.
            DumpBv(bv!, (s.Varp - ((ulong)bv!.Length * (ulong)_ptrSize) - s.Sp) & _mask);
        }

        DumpInt((ulong)FieldKind.Eol);

        // Record argument info for the caller.
        child.ArgOff = (s.Argp - s.Fp) & _mask;
        child.ArgLen = s.ArgLen;
        child.Sp = s.Sp;
        child.Depth++;
        child.Args = f.ArgsPointerMaps is { } argsMap ? argsMap.Bitmaps[pcdata] : null;
    }

    /// <summary>Go: dumpframe's name for a function whose name is empty.</summary>
    private static readonly GoString UnknownFunction = "unknown function";
}
