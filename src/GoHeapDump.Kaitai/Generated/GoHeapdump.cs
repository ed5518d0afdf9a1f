// This is a generated file! Please edit source .ksy file and use kaitai-struct-compiler to rebuild

using System.Collections.Generic;
using System;

namespace Kaitai
{

    /// <summary>
    /// The file `runtime/debug.WriteHeapDump` writes while the world is stopped: a 16-byte text header
    /// naming the format variant, then a sequence of records, each introduced by a tag, ending with an
    /// EOF record. Every number is an unsigned varint exactly as Go's `encoding/binary` reads it; there
    /// are no fixed-width integers, no alignment and no record lengths, so a reader cannot skip a record
    /// it does not understand: an unknown tag ends parsing.
    /// 
    /// The three header variants differ only in how the params record names the architecture
    /// (`record` takes that as a parameter, so that a reader can construct one record at a time on a
    /// stream without a root object). The dump's own byte order and pointer size (params) apply to the
    /// memory it copies (object, frame, data and bss contents), never to the encoding of the file.
    /// 
    /// This specification is normative for the conformance suite; spec/FORMAT.md describes the same
    /// format in prose, with the structure rules (S01-S10) that the `valid` keys below enforce.
    /// </summary>
    /// <remarks>
    /// Reference: <a href="https://go.dev/wiki/heapdump15-through-heapdump17">Source</a>
    /// </remarks>
    /// <remarks>
    /// Reference: runtime/heapdump.go mdump (writes the header, then every record kind, then EOF)
    /// </remarks>
    public partial class GoHeapdump : KaitaiStruct
    {
        public static GoHeapdump FromFile(string fileName)
        {
            return new GoHeapdump(new KaitaiStream(fileName));
        }


        public enum FieldKind
        {
            Eol = 0,
            Ptr = 1,
            Iface = 2,
            Eface = 3,
        }

        public enum HeaderVersion
        {
            Go15 = 53,
            Go16 = 54,
            Go17 = 55,
        }

        public enum Tag
        {
            Eof = 0,
            Object = 1,
            OtherRoot = 2,
            Type = 3,
            Goroutine = 4,
            StackFrame = 5,
            Params = 6,
            Finalizer = 7,
            Itab = 8,
            OsThread = 9,
            MemStats = 10,
            QueuedFinalizer = 11,
            Data = 12,
            Bss = 13,
            Defer = 14,
            Panic = 15,
            MemProf = 16,
            AllocSample = 17,
        }
        public GoHeapdump(KaitaiStream p__io, KaitaiStruct p__parent = null, GoHeapdump p__root = null) : base(p__io)
        {
            m_parent = p__parent;
            m_root = p__root ?? this;
        }
        public void _read()
        {
            _header = new DumpHeader(m_io, this, m_root);
            _header._read();
            _records = new List<Record>();
            {
                var i = 0;
                Record M_;
                do {
                    Record _t_records = new Record(Header.ArchIsString, m_io, this, m_root);
                    try
                    {
                        _t_records._read();
                    }
                    finally
                    {
                        M_ = _t_records;
                        _records.Add(M_);
                    }
                    i++;
                } while (!(M_.Tag == Tag.Eof));
            }
            _endOfInput = m_io.ReadBytes(0);
            {
                byte[] M_ = _endOfInput;
                if (!(M_Io.IsEof))
                {
                    throw new ValidationExprError(_endOfInput, m_io, "/seq/2");
                }
            }
        }

        /// <summary>
        /// Tag 17: a live object that the memory profiler sampled, linked to its bucket.
        /// </summary>
        /// <remarks>
        /// Reference: <a href="https://go.dev/wiki/heapdump15-through-heapdump17">Source</a>
        /// </remarks>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumpmemprof (the loop over profile specials)
        /// </remarks>
        public partial class AllocSampleRecord : KaitaiStruct
        {
            public static AllocSampleRecord FromFile(string fileName)
            {
                return new AllocSampleRecord(new KaitaiStream(fileName));
            }

            public AllocSampleRecord(KaitaiStream p__io, GoHeapdump.Record p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
                _object = new Uvarint(m_io, this, m_root);
                _object._read();
                _bucket = new Uvarint(m_io, this, m_root);
                _bucket._read();
            }
            private Uvarint _object;
            private Uvarint _bucket;
            private GoHeapdump m_root;
            private GoHeapdump.Record m_parent;

            /// <summary>
            /// Address of the sampled object.
            /// </summary>
            public Uvarint Object { get { return _object; } }

            /// <summary>
            /// Address of its memory-profile bucket (a mem_prof record).
            /// </summary>
            public Uvarint Bucket { get { return _bucket; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.Record M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// Tag 13: the bss segment (zero-initialized globals) of the main module.
        /// </summary>
        /// <remarks>
        /// Reference: <a href="https://go.dev/wiki/heapdump15-through-heapdump17">Source</a>
        /// </remarks>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumproots
        /// </remarks>
        public partial class BssRecord : KaitaiStruct
        {
            public static BssRecord FromFile(string fileName)
            {
                return new BssRecord(new KaitaiStream(fileName));
            }

            public BssRecord(KaitaiStream p__io, GoHeapdump.Record p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
                _address = new Uvarint(m_io, this, m_root);
                _address._read();
                _contents = new GoString(m_io, this, m_root);
                _contents._read();
                _fields = new FieldList(m_io, this, m_root);
                _fields._read();
            }
            private Uvarint _address;
            private GoString _contents;
            private FieldList _fields;
            private GoHeapdump m_root;
            private GoHeapdump.Record m_parent;

            /// <summary>
            /// Start address of the segment.
            /// </summary>
            public Uvarint Address { get { return _address; } }

            /// <summary>
            /// The segment's memory.
            /// </summary>
            public GoString Contents { get { return _contents; } }

            /// <summary>
            /// Offsets inside `contents` that hold pointers (the module's bss pointer mask).
            /// </summary>
            public FieldList Fields { get { return _fields; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.Record M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// Tag 12: the data segment (initialized globals) of the main module.
        /// </summary>
        /// <remarks>
        /// Reference: <a href="https://go.dev/wiki/heapdump15-through-heapdump17">Source</a>
        /// </remarks>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumproots
        /// </remarks>
        public partial class DataRecord : KaitaiStruct
        {
            public static DataRecord FromFile(string fileName)
            {
                return new DataRecord(new KaitaiStream(fileName));
            }

            public DataRecord(KaitaiStream p__io, GoHeapdump.Record p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
                _address = new Uvarint(m_io, this, m_root);
                _address._read();
                _contents = new GoString(m_io, this, m_root);
                _contents._read();
                _fields = new FieldList(m_io, this, m_root);
                _fields._read();
            }
            private Uvarint _address;
            private GoString _contents;
            private FieldList _fields;
            private GoHeapdump m_root;
            private GoHeapdump.Record m_parent;

            /// <summary>
            /// Start address of the segment.
            /// </summary>
            public Uvarint Address { get { return _address; } }

            /// <summary>
            /// The segment's memory.
            /// </summary>
            public GoString Contents { get { return _contents; } }

            /// <summary>
            /// Offsets inside `contents` that hold pointers (the module's data pointer mask).
            /// </summary>
            public FieldList Fields { get { return _fields; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.Record M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// Tag 14: a pending deferred call of a goroutine, written after the goroutine's frames.
        /// </summary>
        /// <remarks>
        /// Reference: <a href="https://go.dev/wiki/heapdump15-through-heapdump17">Source</a>
        /// </remarks>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumpgoroutine (the loop over gp._defer)
        /// </remarks>
        public partial class DeferRecord : KaitaiStruct
        {
            public static DeferRecord FromFile(string fileName)
            {
                return new DeferRecord(new KaitaiStream(fileName));
            }

            public DeferRecord(KaitaiStream p__io, GoHeapdump.Record p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
                _address = new Uvarint(m_io, this, m_root);
                _address._read();
                _goroutine = new Uvarint(m_io, this, m_root);
                _goroutine._read();
                _sp = new Uvarint(m_io, this, m_root);
                _sp._read();
                _pc = new Uvarint(m_io, this, m_root);
                _pc._read();
                _funcval = new Uvarint(m_io, this, m_root);
                _funcval._read();
                _entryPc = new Uvarint(m_io, this, m_root);
                _entryPc._read();
                _link = new Uvarint(m_io, this, m_root);
                _link._read();
            }
            private Uvarint _address;
            private Uvarint _goroutine;
            private Uvarint _sp;
            private Uvarint _pc;
            private Uvarint _funcval;
            private Uvarint _entryPc;
            private Uvarint _link;
            private GoHeapdump m_root;
            private GoHeapdump.Record m_parent;

            /// <summary>
            /// Address of the defer record (may be on the goroutine's stack).
            /// </summary>
            public Uvarint Address { get { return _address; } }

            /// <summary>
            /// Address of the goroutine that owns it.
            /// </summary>
            public Uvarint Goroutine { get { return _goroutine; } }

            /// <summary>
            /// Stack pointer of the frame that deferred (the wiki calls it argp).
            /// </summary>
            public Uvarint Sp { get { return _sp; } }

            /// <summary>
            /// PC of the defer statement; 0 for open-coded defers.
            /// </summary>
            public Uvarint Pc { get { return _pc; } }

            /// <summary>
            /// Address of the deferred function value; 0 when there is none.
            /// </summary>
            public Uvarint Funcval { get { return _funcval; } }

            /// <summary>
            /// Entry PC of the deferred function; 0 when there is no function value.
            /// </summary>
            public Uvarint EntryPc { get { return _entryPc; } }

            /// <summary>
            /// Address of the next (older) defer record, or 0.
            /// </summary>
            public Uvarint Link { get { return _link; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.Record M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// `go1.` then one minor-version digit then ` heap dump` and a newline, 16 bytes in all. The
        /// digit is 7 in every release since Go 1.7 (checked up to the 1.24-era sources). Validation
        /// checks the three parts separately, so an error names the first part that differs (rule S01).
        /// </summary>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumphdr
        /// </remarks>
        public partial class DumpHeader : KaitaiStruct
        {
            public static DumpHeader FromFile(string fileName)
            {
                return new DumpHeader(new KaitaiStream(fileName));
            }

            public DumpHeader(KaitaiStream p__io, GoHeapdump p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
                f_archIsString = false;
            }
            public void _read()
            {
                _magicPrefix = m_io.ReadBytes(4);
                if (!((KaitaiStream.ByteArrayCompare(_magicPrefix, new byte[] { 103, 111, 49, 46 }) == 0)))
                {
                    throw new ValidationNotEqualError(new byte[] { 103, 111, 49, 46 }, _magicPrefix, m_io, "/types/dump_header/seq/0");
                }
                _minor = ((GoHeapdump.HeaderVersion) m_io.ReadU1());
                if (!Enum.IsDefined(typeof(HeaderVersion), _minor))
                {
                    throw new ValidationNotInEnumError(_minor, m_io, "/types/dump_header/seq/1");
                }
                _magicSuffix = m_io.ReadBytes(11);
                if (!((KaitaiStream.ByteArrayCompare(_magicSuffix, new byte[] { 32, 104, 101, 97, 112, 32, 100, 117, 109, 112, 10 }) == 0)))
                {
                    throw new ValidationNotEqualError(new byte[] { 32, 104, 101, 97, 112, 32, 100, 117, 109, 112, 10 }, _magicSuffix, m_io, "/types/dump_header/seq/2");
                }
            }
            private bool f_archIsString;
            private bool _archIsString;

            /// <summary>
            /// True for go1.7 headers, whose params record names the architecture with a string;
            /// go1.5 and go1.6 headers use a uvarint character code instead.
            /// </summary>
            public bool ArchIsString
            {
                get
                {
                    if (f_archIsString)
                        return _archIsString;
                    f_archIsString = true;
                    _archIsString = (bool) (Minor == GoHeapdump.HeaderVersion.Go17);
                    return _archIsString;
                }
            }
            private byte[] _magicPrefix;
            private HeaderVersion _minor;
            private byte[] _magicSuffix;
            private GoHeapdump m_root;
            private GoHeapdump m_parent;

            /// <summary>
            /// The first four bytes of every variant (offset 0).
            /// </summary>
            public byte[] MagicPrefix { get { return _magicPrefix; } }

            /// <summary>
            /// The ASCII digit '5', '6' or '7' (offset 4).
            /// </summary>
            public HeaderVersion Minor { get { return _minor; } }

            /// <summary>
            /// The rest of the header, with the newline (offset 5).
            /// </summary>
            public byte[] MagicSuffix { get { return _magicSuffix; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// Tag 0: the last record of a complete dump. It has no fields. Nothing may follow it.
        /// </summary>
        /// <remarks>
        /// Reference: runtime/heapdump.go mdump (dumpint(tagEOF) before the final flush)
        /// </remarks>
        public partial class EofRecord : KaitaiStruct
        {
            public static EofRecord FromFile(string fileName)
            {
                return new EofRecord(new KaitaiStream(fileName));
            }

            public EofRecord(KaitaiStream p__io, GoHeapdump.Record p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
            }
            private GoHeapdump m_root;
            private GoHeapdump.Record m_parent;
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.Record M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// One entry of a field list.
        /// </summary>
        public partial class Field : KaitaiStruct
        {
            public static Field FromFile(string fileName)
            {
                return new Field(new KaitaiStream(fileName));
            }

            public Field(KaitaiStream p__io, GoHeapdump.FieldList p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
                f_kind = false;
            }
            public void _read()
            {
                _kindCode = new Uvarint(m_io, this, m_root);
                _kindCode._read();
                _kindIsKnown = m_io.ReadBytes(0);
                {
                    byte[] M_ = _kindIsKnown;
                    if (!(KindCode.Value <= 3))
                    {
                        throw new ValidationExprError(_kindIsKnown, m_io, "/types/field/seq/1");
                    }
                }
                if (Kind != GoHeapdump.FieldKind.Eol) {
                    _offset = new Uvarint(m_io, this, m_root);
                    _offset._read();
                }
            }
            private bool f_kind;
            private FieldKind _kind;

            /// <summary>
            /// The field kind.
            /// </summary>
            public FieldKind Kind
            {
                get
                {
                    if (f_kind)
                        return _kind;
                    f_kind = true;
                    _kind = (FieldKind) (((GoHeapdump.FieldKind) KindCode.Value));
                    return _kind;
                }
            }
            private Uvarint _kindCode;
            private byte[] _kindIsKnown;
            private Uvarint _offset;
            private GoHeapdump m_root;
            private GoHeapdump.FieldList m_parent;

            /// <summary>
            /// The field kind, 0..3.
            /// </summary>
            public Uvarint KindCode { get { return _kindCode; } }

            /// <summary>
            /// Checks the kind against the enum `field_kind` (rule S06). Reads no bytes.
            /// </summary>
            public byte[] KindIsKnown { get { return _kindIsKnown; } }

            /// <summary>
            /// Byte offset of the field from the start of the described memory; absent for eol.
            /// </summary>
            public Uvarint Offset { get { return _offset; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.FieldList M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// Where the pointers are in a block of memory: (kind, offset) entries ended by an entry of kind
        /// eol, which has no offset.
        /// </summary>
        /// <remarks>
        /// Reference: <a href="https://go.dev/wiki/heapdump15-through-heapdump17">Source</a>
        /// </remarks>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumpfields, dumpbv
        /// </remarks>
        public partial class FieldList : KaitaiStruct
        {
            public static FieldList FromFile(string fileName)
            {
                return new FieldList(new KaitaiStream(fileName));
            }

            public FieldList(KaitaiStream p__io, KaitaiStruct p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
                _entries = new List<Field>();
                {
                    var i = 0;
                    Field M_;
                    do {
                        Field _t_entries = new Field(m_io, this, m_root);
                        try
                        {
                            _t_entries._read();
                        }
                        finally
                        {
                            M_ = _t_entries;
                            _entries.Add(M_);
                        }
                        i++;
                    } while (!(M_.Kind == GoHeapdump.FieldKind.Eol));
                }
            }
            private List<Field> _entries;
            private GoHeapdump m_root;
            private KaitaiStruct m_parent;

            /// <summary>
            /// The entries, the eol entry last.
            /// </summary>
            public List<Field> Entries { get { return _entries; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public KaitaiStruct M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// Tag 7: a finalizer registered on an object that is still reachable.
        /// </summary>
        /// <remarks>
        /// Reference: <a href="https://go.dev/wiki/heapdump15-through-heapdump17">Source</a>
        /// </remarks>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumpfinalizer (called from dumproots for every finalizer special)
        /// </remarks>
        public partial class FinalizerRecord : KaitaiStruct
        {
            public static FinalizerRecord FromFile(string fileName)
            {
                return new FinalizerRecord(new KaitaiStream(fileName));
            }

            public FinalizerRecord(KaitaiStream p__io, GoHeapdump.Record p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
                _object = new Uvarint(m_io, this, m_root);
                _object._read();
                _funcval = new Uvarint(m_io, this, m_root);
                _funcval._read();
                _entryPc = new Uvarint(m_io, this, m_root);
                _entryPc._read();
                _argType = new Uvarint(m_io, this, m_root);
                _argType._read();
                _objectType = new Uvarint(m_io, this, m_root);
                _objectType._read();
            }
            private Uvarint _object;
            private Uvarint _funcval;
            private Uvarint _entryPc;
            private Uvarint _argType;
            private Uvarint _objectType;
            private GoHeapdump m_root;
            private GoHeapdump.Record m_parent;

            /// <summary>
            /// Address of the object the finalizer is set on.
            /// </summary>
            public Uvarint Object { get { return _object; } }

            /// <summary>
            /// Address of the finalizer's function value (runtime.funcval).
            /// </summary>
            public Uvarint Funcval { get { return _funcval; } }

            /// <summary>
            /// Entry PC of the finalizer's code.
            /// </summary>
            public Uvarint EntryPc { get { return _entryPc; } }

            /// <summary>
            /// Address of the type of the finalizer's parameter.
            /// </summary>
            public Uvarint ArgType { get { return _argType; } }

            /// <summary>
            /// Address of the type of the object (a pointer type).
            /// </summary>
            public Uvarint ObjectType { get { return _objectType; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.Record M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// A boolean written as the uvarint 0 (false) or 1 (true); any other value is invalid (rule S04).
        /// </summary>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumpbool
        /// </remarks>
        public partial class GoBool : KaitaiStruct
        {
            public static GoBool FromFile(string fileName)
            {
                return new GoBool(new KaitaiStream(fileName));
            }

            public GoBool(KaitaiStream p__io, KaitaiStruct p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
                f_value = false;
            }
            public void _read()
            {
                _code = new Uvarint(m_io, this, m_root);
                _code._read();
                _is0Or1 = m_io.ReadBytes(0);
                {
                    byte[] M_ = _is0Or1;
                    if (!(Code.Value <= 1))
                    {
                        throw new ValidationExprError(_is0Or1, m_io, "/types/go_bool/seq/1");
                    }
                }
            }
            private bool f_value;
            private bool _value;

            /// <summary>
            /// The boolean.
            /// </summary>
            public bool Value
            {
                get
                {
                    if (f_value)
                        return _value;
                    f_value = true;
                    _value = (bool) (Code.Value == 1);
                    return _value;
                }
            }
            private Uvarint _code;
            private byte[] _is0Or1;
            private GoHeapdump m_root;
            private KaitaiStruct m_parent;

            /// <summary>
            /// 0 or 1.
            /// </summary>
            public Uvarint Code { get { return _code; } }

            /// <summary>
            /// Checks the value (rule S04). Reads no bytes.
            /// </summary>
            public byte[] Is0Or1 { get { return _is0Or1; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public KaitaiStruct M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// A length-prefixed byte string: a uvarint byte count, then the bytes. Not necessarily UTF-8;
        /// holds memory contents as well as text.
        /// </summary>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumpmemrange, dumpslice, dumpstr
        /// </remarks>
        public partial class GoString : KaitaiStruct
        {
            public static GoString FromFile(string fileName)
            {
                return new GoString(new KaitaiStream(fileName));
            }

            public GoString(KaitaiStream p__io, KaitaiStruct p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
                _len = new Uvarint(m_io, this, m_root);
                _len._read();
                _body = m_io.ReadBytes(Len.Value);
            }
            private Uvarint _len;
            private byte[] _body;
            private GoHeapdump m_root;
            private KaitaiStruct m_parent;

            /// <summary>
            /// Number of bytes.
            /// </summary>
            public Uvarint Len { get { return _len; } }

            /// <summary>
            /// The bytes.
            /// </summary>
            public byte[] Body { get { return _body; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public KaitaiStruct M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// Tag 4: a goroutine that is runnable, in a system call or waiting. Its stack frames, then its
        /// defer and panic records, follow it.
        /// </summary>
        /// <remarks>
        /// Reference: <a href="https://go.dev/wiki/heapdump15-through-heapdump17">Source</a>
        /// </remarks>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumpgoroutine (called from dumpgs)
        /// </remarks>
        public partial class GoroutineRecord : KaitaiStruct
        {
            public static GoroutineRecord FromFile(string fileName)
            {
                return new GoroutineRecord(new KaitaiStream(fileName));
            }

            public GoroutineRecord(KaitaiStream p__io, GoHeapdump.Record p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
                _address = new Uvarint(m_io, this, m_root);
                _address._read();
                _sp = new Uvarint(m_io, this, m_root);
                _sp._read();
                _goid = new Uvarint(m_io, this, m_root);
                _goid._read();
                _gopc = new Uvarint(m_io, this, m_root);
                _gopc._read();
                _status = new Uvarint(m_io, this, m_root);
                _status._read();
                _isSystem = new GoBool(m_io, this, m_root);
                _isSystem._read();
                _isBackground = new GoBool(m_io, this, m_root);
                _isBackground._read();
                _waitSince = new Uvarint(m_io, this, m_root);
                _waitSince._read();
                _waitReason = new GoString(m_io, this, m_root);
                _waitReason._read();
                _ctxt = new Uvarint(m_io, this, m_root);
                _ctxt._read();
                _m = new Uvarint(m_io, this, m_root);
                _m._read();
                _topDefer = new Uvarint(m_io, this, m_root);
                _topDefer._read();
                _topPanic = new Uvarint(m_io, this, m_root);
                _topPanic._read();
            }
            private Uvarint _address;
            private Uvarint _sp;
            private Uvarint _goid;
            private Uvarint _gopc;
            private Uvarint _status;
            private GoBool _isSystem;
            private GoBool _isBackground;
            private Uvarint _waitSince;
            private GoString _waitReason;
            private Uvarint _ctxt;
            private Uvarint _m;
            private Uvarint _topDefer;
            private Uvarint _topPanic;
            private GoHeapdump m_root;
            private GoHeapdump.Record m_parent;

            /// <summary>
            /// Address of the goroutine descriptor (runtime.g).
            /// </summary>
            public Uvarint Address { get { return _address; } }

            /// <summary>
            /// Stack pointer when it last stopped (the system call's sp while in a system call).
            /// </summary>
            public Uvarint Sp { get { return _sp; } }

            /// <summary>
            /// Goroutine id.
            /// </summary>
            public Uvarint Goid { get { return _goid; } }

            /// <summary>
            /// PC of the go statement that started it.
            /// </summary>
            public Uvarint Gopc { get { return _gopc; } }

            /// <summary>
            /// The runtime's status word; 1 runnable, 3 in a system call, 4 waiting.
            /// </summary>
            public Uvarint Status { get { return _status; } }

            /// <summary>
            /// True for goroutines the runtime started for itself.
            /// </summary>
            public GoBool IsSystem { get { return _isSystem; } }

            /// <summary>
            /// Left over from before Go 1.5; always false.
            /// </summary>
            public GoBool IsBackground { get { return _isBackground; } }

            /// <summary>
            /// Approximate time it started waiting, in nanoseconds; 0 when unknown.
            /// </summary>
            public Uvarint WaitSince { get { return _waitSince; } }

            /// <summary>
            /// Why it is waiting, as text.
            /// </summary>
            public GoString WaitReason { get { return _waitReason; } }

            /// <summary>
            /// The saved closure context register.
            /// </summary>
            public Uvarint Ctxt { get { return _ctxt; } }

            /// <summary>
            /// Address of the OS thread (runtime.m) running it, or 0.
            /// </summary>
            public Uvarint M { get { return _m; } }

            /// <summary>
            /// Address of its most recent defer record, or 0.
            /// </summary>
            public Uvarint TopDefer { get { return _topDefer; } }

            /// <summary>
            /// Address of its most recent panic record, or 0.
            /// </summary>
            public Uvarint TopPanic { get { return _topPanic; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.Record M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// Tag 8: an interface table. In Go 1.7 and later a type record for `type_address` precedes it.
        /// </summary>
        /// <remarks>
        /// Reference: <a href="https://go.dev/wiki/heapdump15-through-heapdump17">Source</a>
        /// </remarks>
        /// <remarks>
        /// Reference: runtime/heapdump.go itab_callback (called from dumpitabs)
        /// </remarks>
        public partial class ItabRecord : KaitaiStruct
        {
            public static ItabRecord FromFile(string fileName)
            {
                return new ItabRecord(new KaitaiStream(fileName));
            }

            public ItabRecord(KaitaiStream p__io, GoHeapdump.Record p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
                _address = new Uvarint(m_io, this, m_root);
                _address._read();
                _typeAddress = new Uvarint(m_io, this, m_root);
                _typeAddress._read();
            }
            private Uvarint _address;
            private Uvarint _typeAddress;
            private GoHeapdump m_root;
            private GoHeapdump.Record m_parent;

            /// <summary>
            /// Address of the itab.
            /// </summary>
            public Uvarint Address { get { return _address; } }

            /// <summary>
            /// Address of the concrete type stored in the interface (Go 1.7+); in Go 1.5 and 1.6 the
            /// pointer type, which may be 0 and has no type record.
            /// </summary>
            public Uvarint TypeAddress { get { return _typeAddress; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.Record M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// One frame of a memory-profile stack.
        /// </summary>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumpmemprof_callback
        /// </remarks>
        public partial class MemProfFrame : KaitaiStruct
        {
            public static MemProfFrame FromFile(string fileName)
            {
                return new MemProfFrame(new KaitaiStream(fileName));
            }

            public MemProfFrame(KaitaiStream p__io, GoHeapdump.MemProfRecord p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
                _funcName = new GoString(m_io, this, m_root);
                _funcName._read();
                _file = new GoString(m_io, this, m_root);
                _file._read();
                _line = new Uvarint(m_io, this, m_root);
                _line._read();
            }
            private GoString _funcName;
            private GoString _file;
            private Uvarint _line;
            private GoHeapdump m_root;
            private GoHeapdump.MemProfRecord m_parent;

            /// <summary>
            /// Function name; for a PC the runtime cannot resolve, the PC in lowercase hexadecimal in
            /// parentheses, e.g. `(0x45a1c0)`.
            /// </summary>
            public GoString FuncName { get { return _funcName; } }

            /// <summary>
            /// Source file name; `?` when the PC does not resolve.
            /// </summary>
            public GoString File { get { return _file; } }

            /// <summary>
            /// Line number; 0 when the PC does not resolve.
            /// </summary>
            public Uvarint Line { get { return _line; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.MemProfRecord M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// Tag 16: a memory-profile bucket: one allocation stack and size with its counts. Present only
        /// when memory profiling was active in the dumped process.
        /// </summary>
        /// <remarks>
        /// Reference: <a href="https://go.dev/wiki/heapdump15-through-heapdump17">Source</a>
        /// </remarks>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumpmemprof_callback
        /// </remarks>
        public partial class MemProfRecord : KaitaiStruct
        {
            public static MemProfRecord FromFile(string fileName)
            {
                return new MemProfRecord(new KaitaiStream(fileName));
            }

            public MemProfRecord(KaitaiStream p__io, GoHeapdump.Record p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
                _address = new Uvarint(m_io, this, m_root);
                _address._read();
                _size = new Uvarint(m_io, this, m_root);
                _size._read();
                _numFrames = new Uvarint(m_io, this, m_root);
                _numFrames._read();
                _frames = new List<MemProfFrame>();
                for (var i = 0; i < ((long) ((NumFrames.Value > 9223372036854775807 ? 9223372036854775807 : NumFrames.Value))); i++)
                {
                    MemProfFrame _t_frames = new MemProfFrame(m_io, this, m_root);
                    try
                    {
                        _t_frames._read();
                    }
                    finally
                    {
                        _frames.Add(_t_frames);
                    }
                }
                _allocs = new Uvarint(m_io, this, m_root);
                _allocs._read();
                _frees = new Uvarint(m_io, this, m_root);
                _frees._read();
            }
            private Uvarint _address;
            private Uvarint _size;
            private Uvarint _numFrames;
            private List<MemProfFrame> _frames;
            private Uvarint _allocs;
            private Uvarint _frees;
            private GoHeapdump m_root;
            private GoHeapdump.Record m_parent;

            /// <summary>
            /// Address of the bucket.
            /// </summary>
            public Uvarint Address { get { return _address; } }

            /// <summary>
            /// Allocation size recorded by the bucket.
            /// </summary>
            public Uvarint Size { get { return _size; } }

            /// <summary>
            /// Number of stack frames that follow.
            /// </summary>
            public Uvarint NumFrames { get { return _numFrames; } }

            /// <summary>
            /// The allocation stack, innermost frame first.
            /// </summary>
            public List<MemProfFrame> Frames { get { return _frames; } }

            /// <summary>
            /// Allocations counted in the bucket.
            /// </summary>
            public Uvarint Allocs { get { return _allocs; } }

            /// <summary>
            /// Frees counted in the bucket.
            /// </summary>
            public Uvarint Frees { get { return _frees; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.Record M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// Tag 10: the runtime.MemStats snapshot taken before the dump started: 24 scalars in field
        /// order, the 256-entry PauseNs ring, then NumGC.
        /// </summary>
        /// <remarks>
        /// Reference: <a href="https://go.dev/wiki/heapdump15-through-heapdump17">Source</a>
        /// </remarks>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumpmemstats
        /// </remarks>
        public partial class MemStatsRecord : KaitaiStruct
        {
            public static MemStatsRecord FromFile(string fileName)
            {
                return new MemStatsRecord(new KaitaiStream(fileName));
            }

            public MemStatsRecord(KaitaiStream p__io, GoHeapdump.Record p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
                _alloc = new Uvarint(m_io, this, m_root);
                _alloc._read();
                _totalAlloc = new Uvarint(m_io, this, m_root);
                _totalAlloc._read();
                _sys = new Uvarint(m_io, this, m_root);
                _sys._read();
                _lookups = new Uvarint(m_io, this, m_root);
                _lookups._read();
                _mallocs = new Uvarint(m_io, this, m_root);
                _mallocs._read();
                _frees = new Uvarint(m_io, this, m_root);
                _frees._read();
                _heapAlloc = new Uvarint(m_io, this, m_root);
                _heapAlloc._read();
                _heapSys = new Uvarint(m_io, this, m_root);
                _heapSys._read();
                _heapIdle = new Uvarint(m_io, this, m_root);
                _heapIdle._read();
                _heapInuse = new Uvarint(m_io, this, m_root);
                _heapInuse._read();
                _heapReleased = new Uvarint(m_io, this, m_root);
                _heapReleased._read();
                _heapObjects = new Uvarint(m_io, this, m_root);
                _heapObjects._read();
                _stackInuse = new Uvarint(m_io, this, m_root);
                _stackInuse._read();
                _stackSys = new Uvarint(m_io, this, m_root);
                _stackSys._read();
                _mspanInuse = new Uvarint(m_io, this, m_root);
                _mspanInuse._read();
                _mspanSys = new Uvarint(m_io, this, m_root);
                _mspanSys._read();
                _mcacheInuse = new Uvarint(m_io, this, m_root);
                _mcacheInuse._read();
                _mcacheSys = new Uvarint(m_io, this, m_root);
                _mcacheSys._read();
                _buckHashSys = new Uvarint(m_io, this, m_root);
                _buckHashSys._read();
                _gcSys = new Uvarint(m_io, this, m_root);
                _gcSys._read();
                _otherSys = new Uvarint(m_io, this, m_root);
                _otherSys._read();
                _nextGc = new Uvarint(m_io, this, m_root);
                _nextGc._read();
                _lastGc = new Uvarint(m_io, this, m_root);
                _lastGc._read();
                _pauseTotalNs = new Uvarint(m_io, this, m_root);
                _pauseTotalNs._read();
                _pauseNs = new List<Uvarint>();
                for (var i = 0; i < 256; i++)
                {
                    Uvarint _t_pauseNs = new Uvarint(m_io, this, m_root);
                    try
                    {
                        _t_pauseNs._read();
                    }
                    finally
                    {
                        _pauseNs.Add(_t_pauseNs);
                    }
                }
                _numGc = new Uvarint(m_io, this, m_root);
                _numGc._read();
            }
            private Uvarint _alloc;
            private Uvarint _totalAlloc;
            private Uvarint _sys;
            private Uvarint _lookups;
            private Uvarint _mallocs;
            private Uvarint _frees;
            private Uvarint _heapAlloc;
            private Uvarint _heapSys;
            private Uvarint _heapIdle;
            private Uvarint _heapInuse;
            private Uvarint _heapReleased;
            private Uvarint _heapObjects;
            private Uvarint _stackInuse;
            private Uvarint _stackSys;
            private Uvarint _mspanInuse;
            private Uvarint _mspanSys;
            private Uvarint _mcacheInuse;
            private Uvarint _mcacheSys;
            private Uvarint _buckHashSys;
            private Uvarint _gcSys;
            private Uvarint _otherSys;
            private Uvarint _nextGc;
            private Uvarint _lastGc;
            private Uvarint _pauseTotalNs;
            private List<Uvarint> _pauseNs;
            private Uvarint _numGc;
            private GoHeapdump m_root;
            private GoHeapdump.Record m_parent;

            /// <summary>
            /// MemStats.Alloc, bytes of allocated heap objects.
            /// </summary>
            public Uvarint Alloc { get { return _alloc; } }

            /// <summary>
            /// MemStats.TotalAlloc, cumulative bytes allocated.
            /// </summary>
            public Uvarint TotalAlloc { get { return _totalAlloc; } }

            /// <summary>
            /// MemStats.Sys, bytes obtained from the OS.
            /// </summary>
            public Uvarint Sys { get { return _sys; } }

            /// <summary>
            /// MemStats.Lookups, pointer lookups (always 0 in recent releases).
            /// </summary>
            public Uvarint Lookups { get { return _lookups; } }

            /// <summary>
            /// MemStats.Mallocs, cumulative objects allocated.
            /// </summary>
            public Uvarint Mallocs { get { return _mallocs; } }

            /// <summary>
            /// MemStats.Frees, cumulative objects freed.
            /// </summary>
            public Uvarint Frees { get { return _frees; } }

            /// <summary>
            /// MemStats.HeapAlloc.
            /// </summary>
            public Uvarint HeapAlloc { get { return _heapAlloc; } }

            /// <summary>
            /// MemStats.HeapSys.
            /// </summary>
            public Uvarint HeapSys { get { return _heapSys; } }

            /// <summary>
            /// MemStats.HeapIdle.
            /// </summary>
            public Uvarint HeapIdle { get { return _heapIdle; } }

            /// <summary>
            /// MemStats.HeapInuse.
            /// </summary>
            public Uvarint HeapInuse { get { return _heapInuse; } }

            /// <summary>
            /// MemStats.HeapReleased.
            /// </summary>
            public Uvarint HeapReleased { get { return _heapReleased; } }

            /// <summary>
            /// MemStats.HeapObjects.
            /// </summary>
            public Uvarint HeapObjects { get { return _heapObjects; } }

            /// <summary>
            /// MemStats.StackInuse.
            /// </summary>
            public Uvarint StackInuse { get { return _stackInuse; } }

            /// <summary>
            /// MemStats.StackSys.
            /// </summary>
            public Uvarint StackSys { get { return _stackSys; } }

            /// <summary>
            /// MemStats.MSpanInuse.
            /// </summary>
            public Uvarint MspanInuse { get { return _mspanInuse; } }

            /// <summary>
            /// MemStats.MSpanSys.
            /// </summary>
            public Uvarint MspanSys { get { return _mspanSys; } }

            /// <summary>
            /// MemStats.MCacheInuse.
            /// </summary>
            public Uvarint McacheInuse { get { return _mcacheInuse; } }

            /// <summary>
            /// MemStats.MCacheSys.
            /// </summary>
            public Uvarint McacheSys { get { return _mcacheSys; } }

            /// <summary>
            /// MemStats.BuckHashSys.
            /// </summary>
            public Uvarint BuckHashSys { get { return _buckHashSys; } }

            /// <summary>
            /// MemStats.GCSys.
            /// </summary>
            public Uvarint GcSys { get { return _gcSys; } }

            /// <summary>
            /// MemStats.OtherSys.
            /// </summary>
            public Uvarint OtherSys { get { return _otherSys; } }

            /// <summary>
            /// MemStats.NextGC, the heap size goal of the next cycle.
            /// </summary>
            public Uvarint NextGc { get { return _nextGc; } }

            /// <summary>
            /// MemStats.LastGC, end of the last collection in nanoseconds since 1970.
            /// </summary>
            public Uvarint LastGc { get { return _lastGc; } }

            /// <summary>
            /// MemStats.PauseTotalNs.
            /// </summary>
            public Uvarint PauseTotalNs { get { return _pauseTotalNs; } }

            /// <summary>
            /// MemStats.PauseNs, a ring of recent pause times (the latest at (num_gc+255)%256).
            /// </summary>
            public List<Uvarint> PauseNs { get { return _pauseNs; } }

            /// <summary>
            /// MemStats.NumGC, completed collections.
            /// </summary>
            public Uvarint NumGc { get { return _numGc; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.Record M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// Tag 1: one allocated heap object. The contents are the whole allocation slot (the size
        /// class's size, or the whole span for a large object), so they can be longer than the Go value
        /// and can hold stale bytes.
        /// </summary>
        /// <remarks>
        /// Reference: <a href="https://go.dev/wiki/heapdump15-through-heapdump17">Source</a>
        /// </remarks>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumpobj (called from dumpobjs for every unfreed slot of in-use spans)
        /// </remarks>
        public partial class ObjectRecord : KaitaiStruct
        {
            public static ObjectRecord FromFile(string fileName)
            {
                return new ObjectRecord(new KaitaiStream(fileName));
            }

            public ObjectRecord(KaitaiStream p__io, GoHeapdump.Record p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
                _address = new Uvarint(m_io, this, m_root);
                _address._read();
                _contents = new GoString(m_io, this, m_root);
                _contents._read();
                _fields = new FieldList(m_io, this, m_root);
                _fields._read();
            }
            private Uvarint _address;
            private GoString _contents;
            private FieldList _fields;
            private GoHeapdump m_root;
            private GoHeapdump.Record m_parent;

            /// <summary>
            /// Address of the object's first byte.
            /// </summary>
            public Uvarint Address { get { return _address; } }

            /// <summary>
            /// The object's memory, byte for byte, in the dumped process's byte order.
            /// </summary>
            public GoString Contents { get { return _contents; } }

            /// <summary>
            /// Offsets inside `contents` that hold pointers, from the heap bitmap.
            /// </summary>
            public FieldList Fields { get { return _fields; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.Record M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// Tag 9: an OS thread (an M in runtime terms).
        /// </summary>
        /// <remarks>
        /// Reference: <a href="https://go.dev/wiki/heapdump15-through-heapdump17">Source</a>
        /// </remarks>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumpms
        /// </remarks>
        public partial class OsThreadRecord : KaitaiStruct
        {
            public static OsThreadRecord FromFile(string fileName)
            {
                return new OsThreadRecord(new KaitaiStream(fileName));
            }

            public OsThreadRecord(KaitaiStream p__io, GoHeapdump.Record p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
                _address = new Uvarint(m_io, this, m_root);
                _address._read();
                _id = new Uvarint(m_io, this, m_root);
                _id._read();
                _procid = new Uvarint(m_io, this, m_root);
                _procid._read();
            }
            private Uvarint _address;
            private Uvarint _id;
            private Uvarint _procid;
            private GoHeapdump m_root;
            private GoHeapdump.Record m_parent;

            /// <summary>
            /// Address of the thread descriptor (runtime.m).
            /// </summary>
            public Uvarint Address { get { return _address; } }

            /// <summary>
            /// The runtime's thread number.
            /// </summary>
            public Uvarint Id { get { return _id; } }

            /// <summary>
            /// The operating system's thread id.
            /// </summary>
            public Uvarint Procid { get { return _procid; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.Record M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// Tag 2: a GC root that fits no other record kind. The kind is defined, but no gc release
        /// since 1.5 writes it.
        /// </summary>
        /// <remarks>
        /// Reference: <a href="https://go.dev/wiki/heapdump15-through-heapdump17">Source</a>
        /// </remarks>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumpotherroot (defined, never called)
        /// </remarks>
        public partial class OtherRootRecord : KaitaiStruct
        {
            public static OtherRootRecord FromFile(string fileName)
            {
                return new OtherRootRecord(new KaitaiStream(fileName));
            }

            public OtherRootRecord(KaitaiStream p__io, GoHeapdump.Record p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
                _description = new GoString(m_io, this, m_root);
                _description._read();
                _pointer = new Uvarint(m_io, this, m_root);
                _pointer._read();
            }
            private GoString _description;
            private Uvarint _pointer;
            private GoHeapdump m_root;
            private GoHeapdump.Record m_parent;

            /// <summary>
            /// Free text saying where the root comes from.
            /// </summary>
            public GoString Description { get { return _description; } }

            /// <summary>
            /// The pointer held by the root.
            /// </summary>
            public Uvarint Pointer { get { return _pointer; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.Record M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// Tag 15: an active panic of a goroutine, written after its defer records.
        /// </summary>
        /// <remarks>
        /// Reference: <a href="https://go.dev/wiki/heapdump15-through-heapdump17">Source</a>
        /// </remarks>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumpgoroutine (the loop over gp._panic)
        /// </remarks>
        public partial class PanicRecord : KaitaiStruct
        {
            public static PanicRecord FromFile(string fileName)
            {
                return new PanicRecord(new KaitaiStream(fileName));
            }

            public PanicRecord(KaitaiStream p__io, GoHeapdump.Record p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
                _address = new Uvarint(m_io, this, m_root);
                _address._read();
                _goroutine = new Uvarint(m_io, this, m_root);
                _goroutine._read();
                _argType = new Uvarint(m_io, this, m_root);
                _argType._read();
                _argData = new Uvarint(m_io, this, m_root);
                _argData._read();
                _defer = new Uvarint(m_io, this, m_root);
                _defer._read();
                _link = new Uvarint(m_io, this, m_root);
                _link._read();
            }
            private Uvarint _address;
            private Uvarint _goroutine;
            private Uvarint _argType;
            private Uvarint _argData;
            private Uvarint _defer;
            private Uvarint _link;
            private GoHeapdump m_root;
            private GoHeapdump.Record m_parent;

            /// <summary>
            /// Address of the panic record.
            /// </summary>
            public Uvarint Address { get { return _address; } }

            /// <summary>
            /// Address of the goroutine that owns it.
            /// </summary>
            public Uvarint Goroutine { get { return _goroutine; } }

            /// <summary>
            /// Type word of the value passed to panic.
            /// </summary>
            public Uvarint ArgType { get { return _argType; } }

            /// <summary>
            /// Data word of the value passed to panic.
            /// </summary>
            public Uvarint ArgData { get { return _argData; } }

            /// <summary>
            /// No longer recorded; always 0.
            /// </summary>
            public Uvarint Defer { get { return _defer; } }

            /// <summary>
            /// Address of the next (outer) panic record, or 0.
            /// </summary>
            public Uvarint Link { get { return _link; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.Record M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// Tag 6: facts about the dumped process, written once, right after the header.
        /// </summary>
        /// <remarks>
        /// Reference: <a href="https://go.dev/wiki/heapdump15-through-heapdump17">Source</a>
        /// </remarks>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumpparams
        /// </remarks>
        public partial class ParamsRecord : KaitaiStruct
        {
            public ParamsRecord(bool p_archIsString, KaitaiStream p__io, GoHeapdump.Record p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
                _archIsString = p_archIsString;
            }
            public void _read()
            {
                _bigEndian = new GoBool(m_io, this, m_root);
                _bigEndian._read();
                _ptrSize = new Uvarint(m_io, this, m_root);
                _ptrSize._read();
                _heapStart = new Uvarint(m_io, this, m_root);
                _heapStart._read();
                _heapEnd = new Uvarint(m_io, this, m_root);
                _heapEnd._read();
                if (ArchIsString) {
                    _arch = new GoString(m_io, this, m_root);
                    _arch._read();
                }
                if (!(ArchIsString)) {
                    _thechar = new Uvarint(m_io, this, m_root);
                    _thechar._read();
                }
                _versionInfo = new GoString(m_io, this, m_root);
                _versionInfo._read();
                _ncpu = new Uvarint(m_io, this, m_root);
                _ncpu._read();
            }
            private GoBool _bigEndian;
            private Uvarint _ptrSize;
            private Uvarint _heapStart;
            private Uvarint _heapEnd;
            private GoString _arch;
            private Uvarint _thechar;
            private GoString _versionInfo;
            private Uvarint _ncpu;
            private bool _archIsString;
            private GoHeapdump m_root;
            private GoHeapdump.Record m_parent;

            /// <summary>
            /// Byte order of the memory in contents fields; true on big-endian targets.
            /// </summary>
            public GoBool BigEndian { get { return _bigEndian; } }

            /// <summary>
            /// Pointer size in bytes (4 or 8).
            /// </summary>
            public Uvarint PtrSize { get { return _ptrSize; } }

            /// <summary>
            /// Lowest heap address (since Go 1.11, the start of the heap arenas' bounding box).
            /// </summary>
            public Uvarint HeapStart { get { return _heapStart; } }

            /// <summary>
            /// End of the heap range (exclusive).
            /// </summary>
            public Uvarint HeapEnd { get { return _heapEnd; } }

            /// <summary>
            /// GOARCH, e.g. `amd64` (go1.7 headers only).
            /// </summary>
            public GoString Arch { get { return _arch; } }

            /// <summary>
            /// The architecture's character code, e.g. '6' (54) for amd64 (go1.5/go1.6 headers only).
            /// </summary>
            public Uvarint Thechar { get { return _thechar; } }

            /// <summary>
            /// Up to Go 1.16 the GOEXPERIMENT string (usually empty); since 1.17 the build version
            /// (`go1.19.8`, possibly `devel ...`). Free text.
            /// </summary>
            public GoString VersionInfo { get { return _versionInfo; } }

            /// <summary>
            /// Number of CPUs the runtime saw.
            /// </summary>
            public Uvarint Ncpu { get { return _ncpu; } }

            /// <summary>
            /// True for go1.7 headers (architecture as a string), false for go1.5/go1.6 (a uvarint).
            /// </summary>
            public bool ArchIsString { get { return _archIsString; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.Record M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// Tag 11: a finalizer whose object became unreachable and which is queued to run. Same fields
        /// as a registered finalizer.
        /// </summary>
        /// <remarks>
        /// Reference: <a href="https://go.dev/wiki/heapdump15-through-heapdump17">Source</a>
        /// </remarks>
        /// <remarks>
        /// Reference: runtime/heapdump.go finq_callback (called from dumproots through iterate_finq)
        /// </remarks>
        public partial class QueuedFinalizerRecord : KaitaiStruct
        {
            public static QueuedFinalizerRecord FromFile(string fileName)
            {
                return new QueuedFinalizerRecord(new KaitaiStream(fileName));
            }

            public QueuedFinalizerRecord(KaitaiStream p__io, GoHeapdump.Record p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
                _object = new Uvarint(m_io, this, m_root);
                _object._read();
                _funcval = new Uvarint(m_io, this, m_root);
                _funcval._read();
                _entryPc = new Uvarint(m_io, this, m_root);
                _entryPc._read();
                _argType = new Uvarint(m_io, this, m_root);
                _argType._read();
                _objectType = new Uvarint(m_io, this, m_root);
                _objectType._read();
            }
            private Uvarint _object;
            private Uvarint _funcval;
            private Uvarint _entryPc;
            private Uvarint _argType;
            private Uvarint _objectType;
            private GoHeapdump m_root;
            private GoHeapdump.Record m_parent;

            /// <summary>
            /// Address of the object to finalize.
            /// </summary>
            public Uvarint Object { get { return _object; } }

            /// <summary>
            /// Address of the finalizer's function value.
            /// </summary>
            public Uvarint Funcval { get { return _funcval; } }

            /// <summary>
            /// Entry PC of the finalizer's code.
            /// </summary>
            public Uvarint EntryPc { get { return _entryPc; } }

            /// <summary>
            /// Address of the type of the finalizer's parameter.
            /// </summary>
            public Uvarint ArgType { get { return _argType; } }

            /// <summary>
            /// Address of the type of the object.
            /// </summary>
            public Uvarint ObjectType { get { return _objectType; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.Record M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// One record: a tag, then the body that tag selects. Records have no length prefix, so an
        /// unknown tag cannot be skipped (rule S05).
        /// </summary>
        public partial class Record : KaitaiStruct
        {
            public Record(bool p_archIsString, KaitaiStream p__io, GoHeapdump p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
                _archIsString = p_archIsString;
                f_tag = false;
            }
            public void _read()
            {
                _tagCode = new Uvarint(m_io, this, m_root);
                _tagCode._read();
                _tagIsKnown = m_io.ReadBytes(0);
                {
                    byte[] M_ = _tagIsKnown;
                    if (!(TagCode.Value <= 17))
                    {
                        throw new ValidationExprError(_tagIsKnown, m_io, "/types/record/seq/1");
                    }
                }
                switch (Tag) {
                case GoHeapdump.Tag.AllocSample: {
                    _body = new AllocSampleRecord(m_io, this, m_root);
                    ((AllocSampleRecord) (_body))._read();
                    break;
                }
                case GoHeapdump.Tag.Bss: {
                    _body = new BssRecord(m_io, this, m_root);
                    ((BssRecord) (_body))._read();
                    break;
                }
                case GoHeapdump.Tag.Data: {
                    _body = new DataRecord(m_io, this, m_root);
                    ((DataRecord) (_body))._read();
                    break;
                }
                case GoHeapdump.Tag.Defer: {
                    _body = new DeferRecord(m_io, this, m_root);
                    ((DeferRecord) (_body))._read();
                    break;
                }
                case GoHeapdump.Tag.Eof: {
                    _body = new EofRecord(m_io, this, m_root);
                    ((EofRecord) (_body))._read();
                    break;
                }
                case GoHeapdump.Tag.Finalizer: {
                    _body = new FinalizerRecord(m_io, this, m_root);
                    ((FinalizerRecord) (_body))._read();
                    break;
                }
                case GoHeapdump.Tag.Goroutine: {
                    _body = new GoroutineRecord(m_io, this, m_root);
                    ((GoroutineRecord) (_body))._read();
                    break;
                }
                case GoHeapdump.Tag.Itab: {
                    _body = new ItabRecord(m_io, this, m_root);
                    ((ItabRecord) (_body))._read();
                    break;
                }
                case GoHeapdump.Tag.MemProf: {
                    _body = new MemProfRecord(m_io, this, m_root);
                    ((MemProfRecord) (_body))._read();
                    break;
                }
                case GoHeapdump.Tag.MemStats: {
                    _body = new MemStatsRecord(m_io, this, m_root);
                    ((MemStatsRecord) (_body))._read();
                    break;
                }
                case GoHeapdump.Tag.Object: {
                    _body = new ObjectRecord(m_io, this, m_root);
                    ((ObjectRecord) (_body))._read();
                    break;
                }
                case GoHeapdump.Tag.OsThread: {
                    _body = new OsThreadRecord(m_io, this, m_root);
                    ((OsThreadRecord) (_body))._read();
                    break;
                }
                case GoHeapdump.Tag.OtherRoot: {
                    _body = new OtherRootRecord(m_io, this, m_root);
                    ((OtherRootRecord) (_body))._read();
                    break;
                }
                case GoHeapdump.Tag.Panic: {
                    _body = new PanicRecord(m_io, this, m_root);
                    ((PanicRecord) (_body))._read();
                    break;
                }
                case GoHeapdump.Tag.Params: {
                    _body = new ParamsRecord(ArchIsString, m_io, this, m_root);
                    ((ParamsRecord) (_body))._read();
                    break;
                }
                case GoHeapdump.Tag.QueuedFinalizer: {
                    _body = new QueuedFinalizerRecord(m_io, this, m_root);
                    ((QueuedFinalizerRecord) (_body))._read();
                    break;
                }
                case GoHeapdump.Tag.StackFrame: {
                    _body = new StackFrameRecord(m_io, this, m_root);
                    ((StackFrameRecord) (_body))._read();
                    break;
                }
                case GoHeapdump.Tag.Type: {
                    _body = new TypeRecord(m_io, this, m_root);
                    ((TypeRecord) (_body))._read();
                    break;
                }
                }
            }
            private bool f_tag;
            private Tag _tag;

            /// <summary>
            /// The record kind.
            /// </summary>
            public Tag Tag
            {
                get
                {
                    if (f_tag)
                        return _tag;
                    f_tag = true;
                    _tag = (Tag) (((GoHeapdump.Tag) TagCode.Value));
                    return _tag;
                }
            }
            private Uvarint _tagCode;
            private byte[] _tagIsKnown;
            private KaitaiStruct _body;
            private bool _archIsString;
            private GoHeapdump m_root;
            private GoHeapdump m_parent;

            /// <summary>
            /// The record tag, 0..17.
            /// </summary>
            public Uvarint TagCode { get { return _tagCode; } }

            /// <summary>
            /// Checks the tag against the enum `tag` (rule S05). Reads no bytes.
            /// </summary>
            public byte[] TagIsKnown { get { return _tagIsKnown; } }

            /// <summary>
            /// The fields of the record, by tag.
            /// </summary>
            public KaitaiStruct Body { get { return _body; } }

            /// <summary>
            /// The header's `arch_is_string`, passed down to the params record.
            /// </summary>
            public bool ArchIsString { get { return _archIsString; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// Tag 5: one frame of a goroutine's stack, written while walking it from the innermost frame
        /// (depth 0) outwards, right after the goroutine record.
        /// </summary>
        /// <remarks>
        /// Reference: <a href="https://go.dev/wiki/heapdump15-through-heapdump17">Source</a>
        /// </remarks>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumpframe (the traceback callback of dumpgoroutine)
        /// </remarks>
        public partial class StackFrameRecord : KaitaiStruct
        {
            public static StackFrameRecord FromFile(string fileName)
            {
                return new StackFrameRecord(new KaitaiStream(fileName));
            }

            public StackFrameRecord(KaitaiStream p__io, GoHeapdump.Record p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
                _sp = new Uvarint(m_io, this, m_root);
                _sp._read();
                _depth = new Uvarint(m_io, this, m_root);
                _depth._read();
                _childSp = new Uvarint(m_io, this, m_root);
                _childSp._read();
                _contents = new GoString(m_io, this, m_root);
                _contents._read();
                _entryPc = new Uvarint(m_io, this, m_root);
                _entryPc._read();
                _pc = new Uvarint(m_io, this, m_root);
                _pc._read();
                _continuationPc = new Uvarint(m_io, this, m_root);
                _continuationPc._read();
                _name = new GoString(m_io, this, m_root);
                _name._read();
                _fields = new FieldList(m_io, this, m_root);
                _fields._read();
            }
            private Uvarint _sp;
            private Uvarint _depth;
            private Uvarint _childSp;
            private GoString _contents;
            private Uvarint _entryPc;
            private Uvarint _pc;
            private Uvarint _continuationPc;
            private GoString _name;
            private FieldList _fields;
            private GoHeapdump m_root;
            private GoHeapdump.Record m_parent;

            /// <summary>
            /// Lowest address of the frame.
            /// </summary>
            public Uvarint Sp { get { return _sp; } }

            /// <summary>
            /// Position on the stack, 0 for the innermost frame.
            /// </summary>
            public Uvarint Depth { get { return _depth; } }

            /// <summary>
            /// sp of the frame it called (depth minus one); 0 for the innermost frame.
            /// </summary>
            public Uvarint ChildSp { get { return _childSp; } }

            /// <summary>
            /// The frame's memory, from sp up to the frame pointer; may be empty.
            /// </summary>
            public GoString Contents { get { return _contents; } }

            /// <summary>
            /// Entry PC of the frame's function.
            /// </summary>
            public Uvarint EntryPc { get { return _entryPc; } }

            /// <summary>
            /// Current PC in the function.
            /// </summary>
            public Uvarint Pc { get { return _pc; } }

            /// <summary>
            /// PC at which execution continues when the frame resumes.
            /// </summary>
            public Uvarint ContinuationPc { get { return _continuationPc; } }

            /// <summary>
            /// Function name; `unknown function` when the runtime has none.
            /// </summary>
            public GoString Name { get { return _name; } }

            /// <summary>
            /// Offsets inside `contents` that hold pointers (argument and local stack maps).
            /// </summary>
            public FieldList Fields { get { return _fields; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.Record M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// Tag 3: a runtime type descriptor. Written only for the types that itabs name, through a small
        /// cache, so the same type can appear many times and most types never appear.
        /// </summary>
        /// <remarks>
        /// Reference: <a href="https://go.dev/wiki/heapdump15-through-heapdump17">Source</a>
        /// </remarks>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumptype (called from itab_callback)
        /// </remarks>
        public partial class TypeRecord : KaitaiStruct
        {
            public static TypeRecord FromFile(string fileName)
            {
                return new TypeRecord(new KaitaiStream(fileName));
            }

            public TypeRecord(KaitaiStream p__io, GoHeapdump.Record p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
            }
            public void _read()
            {
                _address = new Uvarint(m_io, this, m_root);
                _address._read();
                _size = new Uvarint(m_io, this, m_root);
                _size._read();
                _name = new GoString(m_io, this, m_root);
                _name._read();
                _ifaceDataIsPointer = new GoBool(m_io, this, m_root);
                _ifaceDataIsPointer._read();
            }
            private Uvarint _address;
            private Uvarint _size;
            private GoString _name;
            private GoBool _ifaceDataIsPointer;
            private GoHeapdump m_root;
            private GoHeapdump.Record m_parent;

            /// <summary>
            /// Address of the type descriptor (runtime._type).
            /// </summary>
            public Uvarint Address { get { return _address; } }

            /// <summary>
            /// Size in bytes of a value of the type.
            /// </summary>
            public Uvarint Size { get { return _size; } }

            /// <summary>
            /// Package path, a dot and the type name for named types with a package path; otherwise
            /// the type's string form. Lossy: a pointer to a named type comes out as `pkgpath.`.
            /// </summary>
            public GoString Name { get { return _name; } }

            /// <summary>
            /// True when an interface holding this type stores a pointer in its data word, or the type
            /// contains pointers (the runtime writes `not direct-iface OR has pointers`).
            /// </summary>
            public GoBool IfaceDataIsPointer { get { return _ifaceDataIsPointer; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public GoHeapdump.Record M_Parent { get { return m_parent; } }
        }

        /// <summary>
        /// An unsigned integer of up to 64 bits as encoding/binary writes it: little-endian groups of
        /// 7 bits, the high bit of each byte set when another byte follows. At most 10 bytes, and the
        /// 10th byte (bit 63) must be 0 or 1 (rules S02 and S03). Encodings longer than necessary
        /// (`80 00` for 0) are accepted, as Go's reader accepts them; the runtime writes the shortest.
        /// 
        /// The bytes are ten attributes, each read when every byte before it has the continuation bit,
        /// rather than one repeated attribute: a generated parser then builds one object per integer
        /// instead of an object and a list (most of a dump is uvarints; the list was the Kaitai parser's
        /// largest cost).
        /// </summary>
        /// <remarks>
        /// Reference: <a href="https://pkg.go.dev/encoding/binary#Uvarint">Source</a>
        /// </remarks>
        /// <remarks>
        /// Reference: runtime/heapdump.go dumpint
        /// </remarks>
        public partial class Uvarint : KaitaiStruct
        {
            public static Uvarint FromFile(string fileName)
            {
                return new Uvarint(new KaitaiStream(fileName));
            }

            public Uvarint(KaitaiStream p__io, KaitaiStruct p__parent = null, GoHeapdump p__root = null) : base(p__io)
            {
                m_parent = p__parent;
                m_root = p__root;
                f_len = false;
                f_value = false;
            }
            public void _read()
            {
                _b0 = m_io.ReadU1();
                if (B0 >= 128) {
                    _b1 = m_io.ReadU1();
                }
                if ( ((B0 >= 128) && (B1 >= 128)) ) {
                    _b2 = m_io.ReadU1();
                }
                if ( ((B0 >= 128) && (B1 >= 128) && (B2 >= 128)) ) {
                    _b3 = m_io.ReadU1();
                }
                if ( ((B0 >= 128) && (B1 >= 128) && (B2 >= 128) && (B3 >= 128)) ) {
                    _b4 = m_io.ReadU1();
                }
                if ( ((B0 >= 128) && (B1 >= 128) && (B2 >= 128) && (B3 >= 128) && (B4 >= 128)) ) {
                    _b5 = m_io.ReadU1();
                }
                if ( ((B0 >= 128) && (B1 >= 128) && (B2 >= 128) && (B3 >= 128) && (B4 >= 128) && (B5 >= 128)) ) {
                    _b6 = m_io.ReadU1();
                }
                if ( ((B0 >= 128) && (B1 >= 128) && (B2 >= 128) && (B3 >= 128) && (B4 >= 128) && (B5 >= 128) && (B6 >= 128)) ) {
                    _b7 = m_io.ReadU1();
                }
                if ( ((B0 >= 128) && (B1 >= 128) && (B2 >= 128) && (B3 >= 128) && (B4 >= 128) && (B5 >= 128) && (B6 >= 128) && (B7 >= 128)) ) {
                    _b8 = m_io.ReadU1();
                }
                if ( ((B0 >= 128) && (B1 >= 128) && (B2 >= 128) && (B3 >= 128) && (B4 >= 128) && (B5 >= 128) && (B6 >= 128) && (B7 >= 128) && (B8 >= 128)) ) {
                    _b9 = m_io.ReadU1();
                    if (!(_b9 <= 1))
                    {
                        throw new ValidationGreaterThanError(1, _b9, m_io, "/types/uvarint/seq/9");
                    }
                }
            }
            private bool f_len;
            private sbyte _len;

            /// <summary>
            /// Number of bytes, 1 to 10.
            /// </summary>
            public sbyte Len
            {
                get
                {
                    if (f_len)
                        return _len;
                    f_len = true;
                    _len = (sbyte) ((B0 < 128 ? 1 : (B1 < 128 ? 2 : (B2 < 128 ? 3 : (B3 < 128 ? 4 : (B4 < 128 ? 5 : (B5 < 128 ? 6 : (B6 < 128 ? 7 : (B7 < 128 ? 8 : (B8 < 128 ? 9 : 10))))))))));
                    return _len;
                }
            }
            private bool f_value;
            private ulong _value;

            /// <summary>
            /// The decoded value.
            /// </summary>
            public ulong Value
            {
                get
                {
                    if (f_value)
                        return _value;
                    f_value = true;
                    _value = (ulong) (((ulong) ((((ulong) (B0)) & 127) + (B0 < 128 ? ((ulong) (0)) : (((ulong) (B1)) & 127) * 128 + (B1 < 128 ? ((ulong) (0)) : (((ulong) (B2)) & 127) * 16384 + (B2 < 128 ? ((ulong) (0)) : (((ulong) (B3)) & 127) * 2097152 + (B3 < 128 ? ((ulong) (0)) : (((ulong) (B4)) & 127) * 268435456 + (B4 < 128 ? ((ulong) (0)) : (((ulong) (B5)) & 127) * 34359738368 + (B5 < 128 ? ((ulong) (0)) : (((ulong) (B6)) & 127) * 4398046511104 + (B6 < 128 ? ((ulong) (0)) : (((ulong) (B7)) & 127) * 562949953421312 + (B7 < 128 ? ((ulong) (0)) : (((ulong) (B8)) & 127) * 72057594037927936 + (B8 < 128 ? ((ulong) (0)) : (((ulong) (B9)) * 4611686018427387904) * 2))))))))))));
                    return _value;
                }
            }
            private byte _b0;
            private byte? _b1;
            private byte? _b2;
            private byte? _b3;
            private byte? _b4;
            private byte? _b5;
            private byte? _b6;
            private byte? _b7;
            private byte? _b8;
            private byte? _b9;
            private GoHeapdump m_root;
            private KaitaiStruct m_parent;

            /// <summary>
            /// The first byte, bits 0-6; the only one when it is below 0x80.
            /// </summary>
            public byte B0 { get { return _b0; } }

            /// <summary>
            /// The second byte (bits 7-13), present when every byte before it has the continuation bit.
            /// </summary>
            public byte? B1 { get { return _b1; } }

            /// <summary>
            /// The third byte (bits 14-20), present when every byte before it has the continuation bit.
            /// </summary>
            public byte? B2 { get { return _b2; } }

            /// <summary>
            /// The fourth byte (bits 21-27), present when every byte before it has the continuation bit.
            /// </summary>
            public byte? B3 { get { return _b3; } }

            /// <summary>
            /// The fifth byte (bits 28-34), present when every byte before it has the continuation bit.
            /// </summary>
            public byte? B4 { get { return _b4; } }

            /// <summary>
            /// The sixth byte (bits 35-41), present when every byte before it has the continuation bit.
            /// </summary>
            public byte? B5 { get { return _b5; } }

            /// <summary>
            /// The seventh byte (bits 42-48), present when every byte before it has the continuation bit.
            /// </summary>
            public byte? B6 { get { return _b6; } }

            /// <summary>
            /// The eighth byte (bits 49-55), present when every byte before it has the continuation bit.
            /// </summary>
            public byte? B7 { get { return _b7; } }

            /// <summary>
            /// The ninth byte (bits 56-62), present when every byte before it has the continuation bit.
            /// </summary>
            public byte? B8 { get { return _b8; } }

            /// <summary>
            /// The tenth byte (bit 63), present when every byte before it has the continuation bit. It holds
            /// bit 63 only, so it is 0 or 1: with the continuation bit it announces an 11th byte (rule S02),
            /// any other value above 1 overflows 64 bits (rule S03).
            /// </summary>
            public byte? B9 { get { return _b9; } }
            public GoHeapdump M_Root { get { return m_root; } }
            public KaitaiStruct M_Parent { get { return m_parent; } }
        }
        private DumpHeader _header;
        private List<Record> _records;
        private byte[] _endOfInput;
        private GoHeapdump m_root;
        private KaitaiStruct m_parent;

        /// <summary>
        /// Names the format variant.
        /// </summary>
        public DumpHeader Header { get { return _header; } }

        /// <summary>
        /// Every record in file order, the EOF record last. Input that ends before an EOF record is a
        /// truncated dump (rule S08), not a shorter complete one: the runtime ignores write errors.
        /// </summary>
        public List<Record> Records { get { return _records; } }

        /// <summary>
        /// Nothing may follow the EOF record (rule S09). Reads no bytes; only checks the position.
        /// </summary>
        public byte[] EndOfInput { get { return _endOfInput; } }
        public GoHeapdump M_Root { get { return m_root; } }
        public KaitaiStruct M_Parent { get { return m_parent; } }
    }
}
