meta:
  id: go_heapdump
  title: Go runtime heap dump (runtime/debug.WriteHeapDump)
  application: Go runtime (gc toolchain 1.5 and later, gccgo/libgo)
  license: CC0-1.0
  ks-version: 0.11
  endian: le
doc: |
  The file `runtime/debug.WriteHeapDump` writes while the world is stopped: a 16-byte text header
  naming the format variant, then a sequence of records, each introduced by a tag, ending with an
  EOF record. Every number is an unsigned varint exactly as Go's `encoding/binary` reads it; there
  are no fixed-width integers, no alignment and no record lengths, so a reader cannot skip a record
  it does not understand: an unknown tag ends parsing.

  The three header variants differ only in how the params record names the architecture
  (`record` takes that as a parameter, so that a reader can construct one record at a time on a
  stream without a root object). The dump's own byte order and pointer size (params) apply to the
  memory it copies (object, frame, data and bss contents), never to the encoding of the file.

  This specification is normative for the conformance suite; spec/FORMAT.md describes the same
  format in prose, with the structure rules (S01-S10) that the `valid` keys below enforce.
doc-ref:
  - https://go.dev/wiki/heapdump15-through-heapdump17
  - runtime/heapdump.go mdump (writes the header, then every record kind, then EOF)
seq:
  - id: header
    type: dump_header
    doc: Names the format variant.
  - id: records
    type: record(header.arch_is_string)
    repeat: until
    repeat-until: _.tag == tag::eof
    doc: |
      Every record in file order, the EOF record last. Input that ends before an EOF record is a
      truncated dump (rule S08), not a shorter complete one: the runtime ignores write errors.
  - id: end_of_input
    size: 0
    valid:
      expr: _io.eof
    doc: Nothing may follow the EOF record (rule S09). Reads no bytes; only checks the position.
types:
  dump_header:
    doc: |
      `go1.` then one minor-version digit then ` heap dump` and a newline, 16 bytes in all. The
      digit is 7 in every release since Go 1.7 (checked up to the 1.24-era sources). Validation
      checks the three parts separately, so an error names the first part that differs (rule S01).
    doc-ref: runtime/heapdump.go dumphdr
    seq:
      - id: magic_prefix
        contents: "go1."
        doc: The first four bytes of every variant (offset 0).
      - id: minor
        type: u1
        enum: header_version
        valid:
          in-enum: true
        doc: The ASCII digit '5', '6' or '7' (offset 4).
      - id: magic_suffix
        contents: " heap dump\n"
        doc: The rest of the header, with the newline (offset 5).
    instances:
      arch_is_string:
        value: minor == header_version::go1_7
        doc: |
          True for go1.7 headers, whose params record names the architecture with a string;
          go1.5 and go1.6 headers use a uvarint character code instead.

  record:
    doc: |
      One record: a tag, then the body that tag selects. Records have no length prefix, so an
      unknown tag cannot be skipped (rule S05).
    params:
      - id: arch_is_string
        type: bool
        doc: The header's `arch_is_string`, passed down to the params record.
    seq:
      - id: tag_code
        type: uvarint
        doc: The record tag, 0..17.
      - id: tag_is_known
        size: 0
        valid:
          expr: tag_code.value <= 17
        doc: Checks the tag against the enum `tag` (rule S05). Reads no bytes.
      - id: body
        type:
          switch-on: tag
          cases:
            'tag::eof': eof_record
            'tag::object': object_record
            'tag::other_root': other_root_record
            'tag::type': type_record
            'tag::goroutine': goroutine_record
            'tag::stack_frame': stack_frame_record
            'tag::params': params_record(arch_is_string)
            'tag::finalizer': finalizer_record
            'tag::itab': itab_record
            'tag::os_thread': os_thread_record
            'tag::mem_stats': mem_stats_record
            'tag::queued_finalizer': queued_finalizer_record
            'tag::data': data_record
            'tag::bss': bss_record
            'tag::defer': defer_record
            'tag::panic': panic_record
            'tag::mem_prof': mem_prof_record
            'tag::alloc_sample': alloc_sample_record
        doc: The fields of the record, by tag.
    instances:
      tag:
        value: tag_code.value
        enum: tag
        doc: The record kind.

  eof_record:
    doc: |
      Tag 0: the last record of a complete dump. It has no fields. Nothing may follow it.
    doc-ref: runtime/heapdump.go mdump (dumpint(tagEOF) before the final flush)
    seq: []

  object_record:
    doc: |
      Tag 1: one allocated heap object. The contents are the whole allocation slot (the size
      class's size, or the whole span for a large object), so they can be longer than the Go value
      and can hold stale bytes.
    doc-ref:
      - https://go.dev/wiki/heapdump15-through-heapdump17
      - runtime/heapdump.go dumpobj (called from dumpobjs for every unfreed slot of in-use spans)
    seq:
      - id: address
        type: uvarint
        doc: Address of the object's first byte.
      - id: contents
        type: go_string
        doc: The object's memory, byte for byte, in the dumped process's byte order.
      - id: fields
        type: field_list
        doc: Offsets inside `contents` that hold pointers, from the heap bitmap.

  other_root_record:
    doc: |
      Tag 2: a GC root that fits no other record kind. The kind is defined, but no gc release
      since 1.5 writes it.
    doc-ref:
      - https://go.dev/wiki/heapdump15-through-heapdump17
      - runtime/heapdump.go dumpotherroot (defined, never called)
    seq:
      - id: description
        type: go_string
        doc: Free text saying where the root comes from.
      - id: pointer
        type: uvarint
        doc: The pointer held by the root.

  type_record:
    doc: |
      Tag 3: a runtime type descriptor. Written only for the types that itabs name, through a small
      cache, so the same type can appear many times and most types never appear.
    doc-ref:
      - https://go.dev/wiki/heapdump15-through-heapdump17
      - runtime/heapdump.go dumptype (called from itab_callback)
    seq:
      - id: address
        type: uvarint
        doc: Address of the type descriptor (runtime._type).
      - id: size
        type: uvarint
        doc: Size in bytes of a value of the type.
      - id: name
        type: go_string
        doc: |
          Package path, a dot and the type name for named types with a package path; otherwise
          the type's string form. Lossy: a pointer to a named type comes out as `pkgpath.`.
      - id: iface_data_is_pointer
        type: go_bool
        doc: |
          True when an interface holding this type stores a pointer in its data word, or the type
          contains pointers (the runtime writes `not direct-iface OR has pointers`).

  goroutine_record:
    doc: |
      Tag 4: a goroutine that is runnable, in a system call or waiting. Its stack frames, then its
      defer and panic records, follow it.
    doc-ref:
      - https://go.dev/wiki/heapdump15-through-heapdump17
      - runtime/heapdump.go dumpgoroutine (called from dumpgs)
    seq:
      - id: address
        type: uvarint
        doc: Address of the goroutine descriptor (runtime.g).
      - id: sp
        type: uvarint
        doc: Stack pointer when it last stopped (the system call's sp while in a system call).
      - id: goid
        type: uvarint
        doc: Goroutine id.
      - id: gopc
        type: uvarint
        doc: PC of the go statement that started it.
      - id: status
        type: uvarint
        doc: The runtime's status word; 1 runnable, 3 in a system call, 4 waiting.
      - id: is_system
        type: go_bool
        doc: True for goroutines the runtime started for itself.
      - id: is_background
        type: go_bool
        doc: Left over from before Go 1.5; always false.
      - id: wait_since
        type: uvarint
        doc: Approximate time it started waiting, in nanoseconds; 0 when unknown.
      - id: wait_reason
        type: go_string
        doc: Why it is waiting, as text.
      - id: ctxt
        type: uvarint
        doc: The saved closure context register.
      - id: m
        type: uvarint
        doc: Address of the OS thread (runtime.m) running it, or 0.
      - id: top_defer
        type: uvarint
        doc: Address of its most recent defer record, or 0.
      - id: top_panic
        type: uvarint
        doc: Address of its most recent panic record, or 0.

  stack_frame_record:
    doc: |
      Tag 5: one frame of a goroutine's stack, written while walking it from the innermost frame
      (depth 0) outwards, right after the goroutine record.
    doc-ref:
      - https://go.dev/wiki/heapdump15-through-heapdump17
      - runtime/heapdump.go dumpframe (the traceback callback of dumpgoroutine)
    seq:
      - id: sp
        type: uvarint
        doc: Lowest address of the frame.
      - id: depth
        type: uvarint
        doc: Position on the stack, 0 for the innermost frame.
      - id: child_sp
        type: uvarint
        doc: sp of the frame it called (depth minus one); 0 for the innermost frame.
      - id: contents
        type: go_string
        doc: The frame's memory, from sp up to the frame pointer; may be empty.
      - id: entry_pc
        type: uvarint
        doc: Entry PC of the frame's function.
      - id: pc
        type: uvarint
        doc: Current PC in the function.
      - id: continuation_pc
        type: uvarint
        doc: PC at which execution continues when the frame resumes.
      - id: name
        type: go_string
        doc: Function name; `unknown function` when the runtime has none.
      - id: fields
        type: field_list
        doc: Offsets inside `contents` that hold pointers (argument and local stack maps).

  params_record:
    doc: |
      Tag 6: facts about the dumped process, written once, right after the header.
    doc-ref:
      - https://go.dev/wiki/heapdump15-through-heapdump17
      - runtime/heapdump.go dumpparams
    params:
      - id: arch_is_string
        type: bool
        doc: True for go1.7 headers (architecture as a string), false for go1.5/go1.6 (a uvarint).
    seq:
      - id: big_endian
        type: go_bool
        doc: Byte order of the memory in contents fields; true on big-endian targets.
      - id: ptr_size
        type: uvarint
        doc: Pointer size in bytes (4 or 8).
      - id: heap_start
        type: uvarint
        doc: Lowest heap address (since Go 1.11, the start of the heap arenas' bounding box).
      - id: heap_end
        type: uvarint
        doc: End of the heap range (exclusive).
      - id: arch
        type: go_string
        if: arch_is_string
        doc: GOARCH, e.g. `amd64` (go1.7 headers only).
      - id: thechar
        type: uvarint
        if: not arch_is_string
        doc: The architecture's character code, e.g. '6' (54) for amd64 (go1.5/go1.6 headers only).
      - id: version_info
        type: go_string
        doc: |
          Up to Go 1.16 the GOEXPERIMENT string (usually empty); since 1.17 the build version
          (`go1.19.8`, possibly `devel ...`). Free text.
      - id: ncpu
        type: uvarint
        doc: Number of CPUs the runtime saw.

  finalizer_record:
    doc: |
      Tag 7: a finalizer registered on an object that is still reachable.
    doc-ref:
      - https://go.dev/wiki/heapdump15-through-heapdump17
      - runtime/heapdump.go dumpfinalizer (called from dumproots for every finalizer special)
    seq:
      - id: object
        type: uvarint
        doc: Address of the object the finalizer is set on.
      - id: funcval
        type: uvarint
        doc: Address of the finalizer's function value (runtime.funcval).
      - id: entry_pc
        type: uvarint
        doc: Entry PC of the finalizer's code.
      - id: arg_type
        type: uvarint
        doc: Address of the type of the finalizer's parameter.
      - id: object_type
        type: uvarint
        doc: Address of the type of the object (a pointer type).

  itab_record:
    doc: |
      Tag 8: an interface table. In Go 1.7 and later a type record for `type_address` precedes it.
    doc-ref:
      - https://go.dev/wiki/heapdump15-through-heapdump17
      - runtime/heapdump.go itab_callback (called from dumpitabs)
    seq:
      - id: address
        type: uvarint
        doc: Address of the itab.
      - id: type_address
        type: uvarint
        doc: |
          Address of the concrete type stored in the interface (Go 1.7+); in Go 1.5 and 1.6 the
          pointer type, which may be 0 and has no type record.

  os_thread_record:
    doc: |
      Tag 9: an OS thread (an M in runtime terms).
    doc-ref:
      - https://go.dev/wiki/heapdump15-through-heapdump17
      - runtime/heapdump.go dumpms
    seq:
      - id: address
        type: uvarint
        doc: Address of the thread descriptor (runtime.m).
      - id: id
        type: uvarint
        doc: The runtime's thread number.
      - id: procid
        type: uvarint
        doc: The operating system's thread id.

  mem_stats_record:
    doc: |
      Tag 10: the runtime.MemStats snapshot taken before the dump started: 24 scalars in field
      order, the 256-entry PauseNs ring, then NumGC.
    doc-ref:
      - https://go.dev/wiki/heapdump15-through-heapdump17
      - runtime/heapdump.go dumpmemstats
    seq:
      - id: alloc
        type: uvarint
        doc: MemStats.Alloc, bytes of allocated heap objects.
      - id: total_alloc
        type: uvarint
        doc: MemStats.TotalAlloc, cumulative bytes allocated.
      - id: sys
        type: uvarint
        doc: MemStats.Sys, bytes obtained from the OS.
      - id: lookups
        type: uvarint
        doc: MemStats.Lookups, pointer lookups (always 0 in recent releases).
      - id: mallocs
        type: uvarint
        doc: MemStats.Mallocs, cumulative objects allocated.
      - id: frees
        type: uvarint
        doc: MemStats.Frees, cumulative objects freed.
      - id: heap_alloc
        type: uvarint
        doc: MemStats.HeapAlloc.
      - id: heap_sys
        type: uvarint
        doc: MemStats.HeapSys.
      - id: heap_idle
        type: uvarint
        doc: MemStats.HeapIdle.
      - id: heap_inuse
        type: uvarint
        doc: MemStats.HeapInuse.
      - id: heap_released
        type: uvarint
        doc: MemStats.HeapReleased.
      - id: heap_objects
        type: uvarint
        doc: MemStats.HeapObjects.
      - id: stack_inuse
        type: uvarint
        doc: MemStats.StackInuse.
      - id: stack_sys
        type: uvarint
        doc: MemStats.StackSys.
      - id: mspan_inuse
        type: uvarint
        doc: MemStats.MSpanInuse.
      - id: mspan_sys
        type: uvarint
        doc: MemStats.MSpanSys.
      - id: mcache_inuse
        type: uvarint
        doc: MemStats.MCacheInuse.
      - id: mcache_sys
        type: uvarint
        doc: MemStats.MCacheSys.
      - id: buck_hash_sys
        type: uvarint
        doc: MemStats.BuckHashSys.
      - id: gc_sys
        type: uvarint
        doc: MemStats.GCSys.
      - id: other_sys
        type: uvarint
        doc: MemStats.OtherSys.
      - id: next_gc
        type: uvarint
        doc: MemStats.NextGC, the heap size goal of the next cycle.
      - id: last_gc
        type: uvarint
        doc: MemStats.LastGC, end of the last collection in nanoseconds since 1970.
      - id: pause_total_ns
        type: uvarint
        doc: MemStats.PauseTotalNs.
      - id: pause_ns
        type: uvarint
        repeat: expr
        repeat-expr: 256
        doc: MemStats.PauseNs, a ring of recent pause times (the latest at (num_gc+255)%256).
      - id: num_gc
        type: uvarint
        doc: MemStats.NumGC, completed collections.

  queued_finalizer_record:
    doc: |
      Tag 11: a finalizer whose object became unreachable and which is queued to run. Same fields
      as a registered finalizer.
    doc-ref:
      - https://go.dev/wiki/heapdump15-through-heapdump17
      - runtime/heapdump.go finq_callback (called from dumproots through iterate_finq)
    seq:
      - id: object
        type: uvarint
        doc: Address of the object to finalize.
      - id: funcval
        type: uvarint
        doc: Address of the finalizer's function value.
      - id: entry_pc
        type: uvarint
        doc: Entry PC of the finalizer's code.
      - id: arg_type
        type: uvarint
        doc: Address of the type of the finalizer's parameter.
      - id: object_type
        type: uvarint
        doc: Address of the type of the object.

  data_record:
    doc: |
      Tag 12: the data segment (initialized globals) of the main module.
    doc-ref:
      - https://go.dev/wiki/heapdump15-through-heapdump17
      - runtime/heapdump.go dumproots
    seq:
      - id: address
        type: uvarint
        doc: Start address of the segment.
      - id: contents
        type: go_string
        doc: The segment's memory.
      - id: fields
        type: field_list
        doc: Offsets inside `contents` that hold pointers (the module's data pointer mask).

  bss_record:
    doc: |
      Tag 13: the bss segment (zero-initialized globals) of the main module.
    doc-ref:
      - https://go.dev/wiki/heapdump15-through-heapdump17
      - runtime/heapdump.go dumproots
    seq:
      - id: address
        type: uvarint
        doc: Start address of the segment.
      - id: contents
        type: go_string
        doc: The segment's memory.
      - id: fields
        type: field_list
        doc: Offsets inside `contents` that hold pointers (the module's bss pointer mask).

  defer_record:
    doc: |
      Tag 14: a pending deferred call of a goroutine, written after the goroutine's frames.
    doc-ref:
      - https://go.dev/wiki/heapdump15-through-heapdump17
      - runtime/heapdump.go dumpgoroutine (the loop over gp._defer)
    seq:
      - id: address
        type: uvarint
        doc: Address of the defer record (may be on the goroutine's stack).
      - id: goroutine
        type: uvarint
        doc: Address of the goroutine that owns it.
      - id: sp
        type: uvarint
        doc: Stack pointer of the frame that deferred (the wiki calls it argp).
      - id: pc
        type: uvarint
        doc: PC of the defer statement; 0 for open-coded defers.
      - id: funcval
        type: uvarint
        doc: Address of the deferred function value; 0 when there is none.
      - id: entry_pc
        type: uvarint
        doc: Entry PC of the deferred function; 0 when there is no function value.
      - id: link
        type: uvarint
        doc: Address of the next (older) defer record, or 0.

  panic_record:
    doc: |
      Tag 15: an active panic of a goroutine, written after its defer records.
    doc-ref:
      - https://go.dev/wiki/heapdump15-through-heapdump17
      - runtime/heapdump.go dumpgoroutine (the loop over gp._panic)
    seq:
      - id: address
        type: uvarint
        doc: Address of the panic record.
      - id: goroutine
        type: uvarint
        doc: Address of the goroutine that owns it.
      - id: arg_type
        type: uvarint
        doc: Type word of the value passed to panic.
      - id: arg_data
        type: uvarint
        doc: Data word of the value passed to panic.
      - id: defer
        type: uvarint
        doc: No longer recorded; always 0.
      - id: link
        type: uvarint
        doc: Address of the next (outer) panic record, or 0.

  mem_prof_record:
    doc: |
      Tag 16: a memory-profile bucket: one allocation stack and size with its counts. Present only
      when memory profiling was active in the dumped process.
    doc-ref:
      - https://go.dev/wiki/heapdump15-through-heapdump17
      - runtime/heapdump.go dumpmemprof_callback
    seq:
      - id: address
        type: uvarint
        doc: Address of the bucket.
      - id: size
        type: uvarint
        doc: Allocation size recorded by the bucket.
      - id: num_frames
        type: uvarint
        doc: Number of stack frames that follow.
      - id: frames
        type: mem_prof_frame
        repeat: expr
        # Generated loops count with signed integers. No input can hold 2^63 frames, so clamping the
        # count there changes no result: a larger count still reads frames until the input ends.
        repeat-expr: '(num_frames.value > 0x7fff_ffff_ffff_ffff ? 0x7fff_ffff_ffff_ffff : num_frames.value).as<s8>'
        doc: The allocation stack, innermost frame first.
      - id: allocs
        type: uvarint
        doc: Allocations counted in the bucket.
      - id: frees
        type: uvarint
        doc: Frees counted in the bucket.

  alloc_sample_record:
    doc: |
      Tag 17: a live object that the memory profiler sampled, linked to its bucket.
    doc-ref:
      - https://go.dev/wiki/heapdump15-through-heapdump17
      - runtime/heapdump.go dumpmemprof (the loop over profile specials)
    seq:
      - id: object
        type: uvarint
        doc: Address of the sampled object.
      - id: bucket
        type: uvarint
        doc: Address of its memory-profile bucket (a mem_prof record).

  mem_prof_frame:
    doc: One frame of a memory-profile stack.
    doc-ref: runtime/heapdump.go dumpmemprof_callback
    seq:
      - id: func_name
        type: go_string
        doc: |
          Function name; for a PC the runtime cannot resolve, the PC in lowercase hexadecimal in
          parentheses, e.g. `(0x45a1c0)`.
      - id: file
        type: go_string
        doc: Source file name; `?` when the PC does not resolve.
      - id: line
        type: uvarint
        doc: Line number; 0 when the PC does not resolve.

  field_list:
    doc: |
      Where the pointers are in a block of memory: (kind, offset) entries ended by an entry of kind
      eol, which has no offset.
    doc-ref:
      - https://go.dev/wiki/heapdump15-through-heapdump17
      - runtime/heapdump.go dumpfields, dumpbv
    seq:
      - id: entries
        type: field
        repeat: until
        repeat-until: _.kind == field_kind::eol
        doc: The entries, the eol entry last.

  field:
    doc: One entry of a field list.
    seq:
      - id: kind_code
        type: uvarint
        doc: The field kind, 0..3.
      - id: kind_is_known
        size: 0
        valid:
          expr: kind_code.value <= 3
        doc: Checks the kind against the enum `field_kind` (rule S06). Reads no bytes.
      - id: offset
        type: uvarint
        if: kind != field_kind::eol
        doc: Byte offset of the field from the start of the described memory; absent for eol.
    instances:
      kind:
        value: kind_code.value
        enum: field_kind
        doc: The field kind.

  go_string:
    doc: |
      A length-prefixed byte string: a uvarint byte count, then the bytes. Not necessarily UTF-8;
      holds memory contents as well as text.
    doc-ref: runtime/heapdump.go dumpmemrange, dumpslice, dumpstr
    seq:
      - id: len
        type: uvarint
        doc: Number of bytes.
      - id: body
        size: len.value
        doc: The bytes.

  go_bool:
    doc: A boolean written as the uvarint 0 (false) or 1 (true); any other value is invalid (rule S04).
    doc-ref: runtime/heapdump.go dumpbool
    seq:
      - id: code
        type: uvarint
        doc: 0 or 1.
      - id: is_0_or_1
        size: 0
        valid:
          expr: code.value <= 1
        doc: Checks the value (rule S04). Reads no bytes.
    instances:
      value:
        value: code.value == 1
        doc: The boolean.

  uvarint:
    doc: |
      An unsigned integer of up to 64 bits as encoding/binary writes it: little-endian groups of
      7 bits, the high bit of each byte set when another byte follows. At most 10 bytes, and the
      10th byte (bit 63) must be 0 or 1 (rules S02 and S03). Encodings longer than necessary
      (`80 00` for 0) are accepted, as Go's reader accepts them; the runtime writes the shortest.

      The bytes are ten attributes, each read when every byte before it has the continuation bit,
      rather than one repeated attribute: a generated parser then builds one object per integer
      instead of an object and a list (most of a dump is uvarints; the list was the Kaitai parser's
      largest cost).
    doc-ref:
      - https://pkg.go.dev/encoding/binary#Uvarint
      - runtime/heapdump.go dumpint
    seq:
      - id: b0
        type: u1
        doc: The first byte, bits 0-6; the only one when it is below 0x80.
      - id: b1
        type: u1
        if: b0 >= 0x80
        doc: The second byte (bits 7-13), present when every byte before it has the continuation bit.
      - id: b2
        type: u1
        if: b0 >= 0x80 and b1 >= 0x80
        doc: The third byte (bits 14-20), present when every byte before it has the continuation bit.
      - id: b3
        type: u1
        if: b0 >= 0x80 and b1 >= 0x80 and b2 >= 0x80
        doc: The fourth byte (bits 21-27), present when every byte before it has the continuation bit.
      - id: b4
        type: u1
        if: b0 >= 0x80 and b1 >= 0x80 and b2 >= 0x80 and b3 >= 0x80
        doc: The fifth byte (bits 28-34), present when every byte before it has the continuation bit.
      - id: b5
        type: u1
        if: b0 >= 0x80 and b1 >= 0x80 and b2 >= 0x80 and b3 >= 0x80 and b4 >= 0x80
        doc: The sixth byte (bits 35-41), present when every byte before it has the continuation bit.
      - id: b6
        type: u1
        if: b0 >= 0x80 and b1 >= 0x80 and b2 >= 0x80 and b3 >= 0x80 and b4 >= 0x80 and b5 >= 0x80
        doc: The seventh byte (bits 42-48), present when every byte before it has the continuation bit.
      - id: b7
        type: u1
        if: b0 >= 0x80 and b1 >= 0x80 and b2 >= 0x80 and b3 >= 0x80 and b4 >= 0x80 and b5 >= 0x80 and b6 >= 0x80
        doc: The eighth byte (bits 49-55), present when every byte before it has the continuation bit.
      - id: b8
        type: u1
        if: b0 >= 0x80 and b1 >= 0x80 and b2 >= 0x80 and b3 >= 0x80 and b4 >= 0x80 and b5 >= 0x80 and b6 >= 0x80 and b7 >= 0x80
        doc: The ninth byte (bits 56-62), present when every byte before it has the continuation bit.
      - id: b9
        type: u1
        if: b0 >= 0x80 and b1 >= 0x80 and b2 >= 0x80 and b3 >= 0x80 and b4 >= 0x80 and b5 >= 0x80 and b6 >= 0x80 and b7 >= 0x80 and b8 >= 0x80
        valid:
          max: 1
        doc: |
          The tenth byte (bit 63), present when every byte before it has the continuation bit. It holds
          bit 63 only, so it is 0 or 1: with the continuation bit it announces an 11th byte (rule S02),
          any other value above 1 overflows 64 bits (rule S03).
    instances:
      len:
        value: >-
          b0 < 0x80 ? 1 : b1 < 0x80 ? 2 : b2 < 0x80 ? 3 : b3 < 0x80 ? 4 : b4 < 0x80 ? 5
          : b5 < 0x80 ? 6 : b6 < 0x80 ? 7 : b7 < 0x80 ? 8 : b8 < 0x80 ? 9 : 10
        doc: Number of bytes, 1 to 10.
      value:
        # Each byte is read only after one with the continuation bit, so the sum nests: a one-byte
        # uvarint costs one comparison. Arithmetic rather than shifts and ors (the groups occupy
        # disjoint bits, so + is |): in targets whose << is 32-bit (JavaScript, hence the Web IDE)
        # shifts lose every bit above 31. 2^63 is written 2^62 * 2 because some targets have no
        # literal for it.
        value: >-
          ((b0.as<u8> & 0x7f) + (b0 < 0x80 ? 0.as<u8> :
          (b1.as<u8> & 0x7f) * 0x80 + (b1 < 0x80 ? 0.as<u8> :
          (b2.as<u8> & 0x7f) * 0x4000 + (b2 < 0x80 ? 0.as<u8> :
          (b3.as<u8> & 0x7f) * 0x20_0000 + (b3 < 0x80 ? 0.as<u8> :
          (b4.as<u8> & 0x7f) * 0x1000_0000 + (b4 < 0x80 ? 0.as<u8> :
          (b5.as<u8> & 0x7f) * 0x8_0000_0000 + (b5 < 0x80 ? 0.as<u8> :
          (b6.as<u8> & 0x7f) * 0x400_0000_0000 + (b6 < 0x80 ? 0.as<u8> :
          (b7.as<u8> & 0x7f) * 0x2_0000_0000_0000 + (b7 < 0x80 ? 0.as<u8> :
          (b8.as<u8> & 0x7f) * 0x100_0000_0000_0000 + (b8 < 0x80 ? 0.as<u8> :
          b9.as<u8> * 0x4000_0000_0000_0000 * 2)))))))))).as<u8>
        doc: The decoded value.

enums:
  header_version:
    0x35:
      id: go1_5
      doc: "`go1.5 heap dump`: params name the architecture with a uvarint character code."
    0x36:
      id: go1_6
      doc: "`go1.6 heap dump`: the same layout as go1.5."
    0x37:
      id: go1_7
      doc: "`go1.7 heap dump`: params name the architecture with a string. Written by every release since 1.7."
  tag:
    0: eof
    1: object
    2: other_root
    3: type
    4: goroutine
    5: stack_frame
    6: params
    7: finalizer
    8: itab
    9: os_thread
    10: mem_stats
    11: queued_finalizer
    12: data
    13: bss
    14: defer
    15: panic
    16: mem_prof
    17: alloc_sample
  field_kind:
    0:
      id: eol
      doc: Ends a field list; no offset follows.
    1:
      id: ptr
      doc: A pointer. The only kind written since Go 1.5.
    2:
      id: iface
      doc: An interface value (before Go 1.5 only). Still accepted.
    3:
      id: eface
      doc: An empty-interface value (before Go 1.5 only). Still accepted.
