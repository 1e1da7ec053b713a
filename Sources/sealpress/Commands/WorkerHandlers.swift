import SealWorker

/// The job handlers `sealpress worker` runs. The stamping pipeline registers `stamp` and `verify` here.
enum WorkerHandlers {
    static var all: HandlerRegistry { .builtIn }
}
