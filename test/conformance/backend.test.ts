import { describe, expect, it } from "vitest";
import { createBackend } from "../../src/backend/index.js";

describe("createBackend", () => {
  it("defaults to wasm and builds js on request", async () => {
    expect((await createBackend()).name).toBe("wasm");
    expect((await createBackend("js")).name).toBe("js");
  });

  it("falls back to js with exactly one warning line when the wasm module cannot compile", async () => {
    const lines: string[] = [];
    // a module header followed by garbage: WebAssembly.CompileError, as on a runtime without SIMD
    const k = await createBackend("wasm", {
      wasmBinary: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 255]),
      warn: (l) => lines.push(l),
    });
    expect(k.name).toBe("js");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cannot compile SIMD WebAssembly .*using the js backend/);
  });

  it("rejects an unknown backend name", async () => {
    await expect(createBackend("gpu" as never)).rejects.toThrow(/'gpu' is not one of wasm, js/);
  });

  it("buffer views survive memory growth", async () => {
    const k = await createBackend("wasm");
    const a = k.from("f32", [1, 2, 3]);
    const old = a.view;
    k.alloc("f32", 20_000_000); // grows linear memory, detaching the old ArrayBuffer
    expect(old.length).toBe(0);
    expect(Array.from(a.view)).toEqual([1, 2, 3]);
  });
});
