{
  "variables": { "has_dnnl%": "0", "has_openblas%": "0", "openblas_dir%": "" },
  "targets": [{
    "target_name": "parsimony_native",
    "sources": ["<!@(node -e \"console.log(require('fs').readdirSync('native/src').filter(f=>f.endsWith('.cc')).map(f=>'native/src/'+f).join(' '))\")"],
    "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")", "native/src"],
    "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED"],
    "cflags_cc!": ["-fno-exceptions", "-O3"],
    "cflags_cc": ["-std=c++17", "-O3", "-march=native", "-fopenmp", "-fexceptions", "-ffp-contract=fast"],
    # -z nodelete: never unmap the addon (nor libgomp/oneDNN/OpenBLAS, which it keeps loaded). Each worker thread's
    # env dlcloses it at exit; the last dlclose used to unmap them while OpenMP pool threads and the exiting thread's
    # libgomp TLS destructor still ran their code: SIGSEGV (test/engine/addon_worker_unload.test.ts).
    "ldflags": ["-fopenmp", "-Wl,-z,nodelete"],
    "conditions": [
      ["has_dnnl==1", { "defines": ["PARSIMONY_HAS_DNNL=1"], "libraries": ["-ldnnl"] }],
      ["has_openblas==1 and openblas_dir==''", { "defines": ["PARSIMONY_HAS_OPENBLAS=1"], "libraries": ["-lopenblas"] }],
      ["has_openblas==1 and openblas_dir!=''", { "defines": ["PARSIMONY_HAS_OPENBLAS=1"], "libraries": ["<(openblas_dir)/libopenblas.so.0", "-Wl,-rpath,<(openblas_dir)"] }]
    ]
  }]
}
