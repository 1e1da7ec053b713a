// libFuzzer entry point for the pipeline YAML loader (Sources/SealPipeline/Pipelines over Yams/libyaml): any text
// must load into a pipeline or into a list of problems with lines and columns, never crash or hang.
// Built by Fuzz/Pipeline/build.sh (the Pipelines folder is compiled as its own module); see Docs/reliability.md.
import SealPipelineFuzzModule

@_cdecl("LLVMFuzzerTestOneInput")
public func pipelineFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // The loader reads files as UTF-8: invalid text never reaches it.
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    do {
        let pipeline = try PipelineLoader.load(yaml: text, source: "fuzz.yaml")
        precondition(!pipeline.name.isEmpty && !pipeline.placements.isEmpty, "a loaded pipeline has a name and placements")
    } catch {
        precondition(!error.problems.isEmpty, "a refused pipeline says why")
        _ = error.description
    }
    return 0
}
