using System.Globalization;

namespace GoHeapDump.Validation;

/// <summary>A goroutine and the frames, defers and panics that follow it (V08–V11, R01–R08, R13, R14).</summary>
internal sealed partial class FileValidation
{
    private void CheckGoroutine(HeapDumpRecordView v)
    {
        var status = v[GoroutineValues.Status];
        if (status is not (1 or 3 or 4))
        {
            Add(ValidationRules.GoroutineStatus, v.ValueOffset(GoroutineValues.Status), v.Index, RecordKind.Goroutine,
                $"status {N(status)}; dumpable statuses are 1 (runnable), 3 (syscall) and 4 (waiting)");
        }

        if (v[GoroutineValues.IsBackground] != 0)
        {
            Add(ValidationRules.GoroutineBackground, v.ValueOffset(GoroutineValues.IsBackground), v.Index, RecordKind.Goroutine, "is_background is true");
        }

        var address = v[GoroutineValues.Address];
        if (!_capped && _goroutines.Contains(address))
        {
            Add(ValidationRules.GoroutineUnique, v.ValueOffset(GoroutineValues.Address), v.Index, RecordKind.Goroutine, $"goroutine {Hex(address)} was dumped before");
        }
        else
        {
            Remember(_goroutines, address);
        }

        CheckGoroutineGuarantees(v);
        var m = v[GoroutineValues.M];
        if (m != 0)
        {
            Remember(_goroutineMs, new Reference(m, v.ValueOffset(GoroutineValues.M), v.Index, RecordKind.Goroutine, ValidationRules.GoroutineM));
        }

        _inGroup = true;
        _phase = GroupPhase.Frames;
        _gAddress = address;
        _gSp = v[GoroutineValues.Sp];
        _gSpOffset = v.ValueOffset(GoroutineValues.Sp);
        _gIndex = v.Index;
        _frameCount = 0;
        _previousFrameSp = 0;
        _expectedDefer = v[GoroutineValues.TopDefer];
        _deferLinkOffset = v.ValueOffset(GoroutineValues.TopDefer);
        _deferLinkIndex = v.Index;
        _deferLinkKind = RecordKind.Goroutine;
        _expectedPanic = v[GoroutineValues.TopPanic];
        _panicLinkOffset = v.ValueOffset(GoroutineValues.TopPanic);
        _panicLinkIndex = v.Index;
        _panicLinkKind = RecordKind.Goroutine;
    }

    private void CheckFrame(HeapDumpRecordView v)
    {
        CheckFrameFields(v);
        CheckFrameShape(v);
        if (!_inGroup || _phase != GroupPhase.Frames)
        {
            Add(ValidationRules.FrameFollowsGoroutine, v.Offset, v.Index, RecordKind.StackFrame,
                _inGroup ? "a stack frame after its goroutine's defer or panic records" : "a stack frame that follows no goroutine record");
            return;
        }

        var sp = v[StackFrameValues.Sp];
        var depth = v[StackFrameValues.Depth];
        if (depth != (ulong)_frameCount)
        {
            Add(ValidationRules.FrameDepth, v.ValueOffset(StackFrameValues.Depth), v.Index, RecordKind.StackFrame,
                string.Create(CultureInfo.InvariantCulture, $"depth {depth}, expected {_frameCount} (frame {_frameCount} of goroutine {Hex(_gAddress)})"));
        }

        var childSp = v[StackFrameValues.ChildSp];
        if (_frameCount == 0)
        {
            if (childSp != 0)
            {
                Add(ValidationRules.FrameChildSp, v.ValueOffset(StackFrameValues.ChildSp), v.Index, RecordKind.StackFrame,
                    $"child sp {Hex(childSp)} in the innermost frame, expected 0");
            }

            // Go: traceback.go: frame 0 starts at the goroutine's sp, or one word above it when the traceback pc
            // is 0 on a target without a link register (the dump does not carry that pc).
            if (sp != _gSp && !(_noLinkRegister && _ptrSize != 0 && sp == _gSp + _ptrSize))
            {
                Add(ValidationRules.GoroutineSp, _gSpOffset, _gIndex, RecordKind.Goroutine,
                    $"goroutine sp {Hex(_gSp)} differs from its depth-0 frame's sp {Hex(sp)} (record #{v.Index.ToString(CultureInfo.InvariantCulture)})");
            }
        }
        else if (childSp != _previousFrameSp)
        {
            Add(ValidationRules.FrameChildSp, v.ValueOffset(StackFrameValues.ChildSp), v.Index, RecordKind.StackFrame,
                $"child sp {Hex(childSp)}, expected the previous frame's sp {Hex(_previousFrameSp)}");
        }

        _previousFrameSp = sp;
        _frameCount++;
    }

    private void CheckFrameFields(HeapDumpRecordView v)
    {
        if (v.FieldCount == 0)
        {
            return;
        }

        var ptrSize = _ptrSize;
        var size = (ulong)v.ContentsLength;
        var width = ptrSize == 0 ? 1UL : ptrSize;
        var checkBounds = _version == HeaderVersion.Go17;
        bool legacy = false, misaligned = false, outside = false;
        foreach (var f in v.Fields)
        {
            if (f.Kind != FieldKind.Ptr && !legacy)
            {
                legacy = true;
                Add(ValidationRules.LegacyFieldKind, f.KindPosition, v.Index, RecordKind.StackFrame, $"field kind {f.Kind.Name()} at offset {N(f.Offset)}");
            }

            if (ptrSize != 0 && (f.Offset & (ptrSize - 1)) != 0 && !misaligned)
            {
                misaligned = true;
                Add(ValidationRules.FrameFieldAligned, f.Position, v.Index, RecordKind.StackFrame,
                    $"frame field offset {N(f.Offset)} is not a multiple of the pointer size {N(ptrSize)}");
            }

            if (checkBounds && (f.Offset > size || size - f.Offset < width) && !outside)
            {
                outside = true;
                Add(ValidationRules.FrameFieldInContents, f.Position, v.Index, RecordKind.StackFrame,
                    $"a {N(width)}-byte field at offset {N(f.Offset)} does not fit in the frame's {N(size)} bytes");
            }
        }
    }

    private void CheckDefer(HeapDumpRecordView v)
    {
        if (!_inGroup)
        {
            Add(ValidationRules.DeferGoroutine, v.Offset, v.Index, RecordKind.Defer, "a defer record that follows no goroutine record");
            return;
        }

        if (_phase == GroupPhase.Frames)
        {
            _phase = GroupPhase.Defers;
        }

        var goroutine = v[DeferValues.Goroutine];
        if (goroutine != _gAddress)
        {
            Add(ValidationRules.DeferGoroutine, v.ValueOffset(DeferValues.Goroutine), v.Index, RecordKind.Defer,
                $"names goroutine {Hex(goroutine)} but follows goroutine {Hex(_gAddress)} (record #{_gIndex.ToString(CultureInfo.InvariantCulture)})");
        }

        var address = v[DeferValues.Address];
        if (address != _expectedDefer)
        {
            Add(ValidationRules.DeferChain, v.ValueOffset(DeferValues.Address), v.Index, RecordKind.Defer,
                _expectedDefer == 0
                    ? $"defer {Hex(address)} follows the end of the goroutine's defer chain"
                    : $"defer {Hex(address)}, expected {Hex(_expectedDefer)} ({(_deferLinkKind == RecordKind.Goroutine ? "the goroutine's top defer" : "the previous defer's link")})");
        }

        _expectedDefer = v[DeferValues.Link];
        _deferLinkOffset = v.ValueOffset(DeferValues.Link);
        _deferLinkIndex = v.Index;
        _deferLinkKind = RecordKind.Defer;
    }

    private void CheckPanic(HeapDumpRecordView v)
    {
        if (!_inGroup)
        {
            Add(ValidationRules.PanicGoroutine, v.Offset, v.Index, RecordKind.Panic, "a panic record that follows no goroutine record");
            return;
        }

        _phase = GroupPhase.Panics;
        var goroutine = v[PanicValues.Goroutine];
        if (goroutine != _gAddress)
        {
            Add(ValidationRules.PanicGoroutine, v.ValueOffset(PanicValues.Goroutine), v.Index, RecordKind.Panic,
                $"names goroutine {Hex(goroutine)} but follows goroutine {Hex(_gAddress)} (record #{_gIndex.ToString(CultureInfo.InvariantCulture)})");
        }

        var address = v[PanicValues.Address];
        if (address != _expectedPanic)
        {
            Add(ValidationRules.PanicChain, v.ValueOffset(PanicValues.Address), v.Index, RecordKind.Panic,
                _expectedPanic == 0
                    ? $"panic {Hex(address)} follows the end of the goroutine's panic chain"
                    : $"panic {Hex(address)}, expected {Hex(_expectedPanic)} ({(_panicLinkKind == RecordKind.Goroutine ? "the goroutine's top panic" : "the previous panic's link")})");
        }

        _expectedPanic = v[PanicValues.Link];
        _panicLinkOffset = v.ValueOffset(PanicValues.Link);
        _panicLinkIndex = v.Index;
        _panicLinkKind = RecordKind.Panic;
    }

    /// <summary>The goroutine's records have ended: its defer and panic chains must have ended too.</summary>
    private void CloseGroup()
    {
        _inGroup = false;
        CheckGoroutineHadFrames();
        if (_expectedDefer != 0)
        {
            Add(ValidationRules.DeferChain, _deferLinkOffset, _deferLinkIndex, _deferLinkKind,
                $"the defer chain of goroutine {Hex(_gAddress)} continues at {Hex(_expectedDefer)}, but no defer record for it follows");
        }

        if (_expectedPanic != 0)
        {
            Add(ValidationRules.PanicChain, _panicLinkOffset, _panicLinkIndex, _panicLinkKind,
                $"the panic chain of goroutine {Hex(_gAddress)} continues at {Hex(_expectedPanic)}, but no panic record for it follows");
        }
    }
}
