import ArgumentParser
import Postgres
import SealQueue

/// `sealpress cancel JOB`: cancels a queued or running job.
struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a job: a queued one at once; a running one is told to stop and its result is rejected.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The job id.") var job: Int64

    func run() throws {
        let connection = try database.connect()
        defer { connection.close() }
        let previous: JobState?
        do {
            previous = try JobQueue(connection: connection).cancel(jobID: job)
        } catch {
            throw QueueCommandSupport.couldNotRun(error, doing: "cancel job \(job)")
        }
        switch previous {
        case nil:
            throw CouldNotRun("there is no job \(job)")
        case .running?:
            print("job \(job) cancelled (it was running: its worker has been told to stop, and its result will be rejected)")
        case let state? where state.isFinal:
            print("job \(job) is already \(state.rawValue); nothing to cancel")
            throw ExitCode(1)
        case let state?:
            print("job \(job) cancelled (it was \(state.rawValue))")
        }
    }
}
