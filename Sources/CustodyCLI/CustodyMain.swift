import ArgumentParser
import CustodyCore
import Foundation

/// Process entry: parses the command line, runs the command, and maps every outcome to the
/// documented exit codes (README "Exit codes"): argument errors are 2, not
/// ArgumentParser's default 64.
public enum CustodyMain {
    public static func main(_ arguments: [String]? = nil) -> Never {
        let code: Int32
        do {
            var command = try CustodyCommand.parseAsRoot(arguments)
            do {
                try command.run()
                code = 0
            } catch {
                code = report(error)
            }
        } catch {
            let exit = CustodyCommand.exitCode(for: error)
            if exit == .success {
                print(CustodyCommand.fullMessage(for: error))
                code = 0
            } else {
                Console.error(CustodyCommand.fullMessage(for: error))
                code = CustodyExitCode.usage.rawValue
            }
        }
        Console.flush()
        exit(code)
    }

    static func report(_ error: any Error) -> Int32 {
        switch error {
        case let exit as ExitCode:
            return exit.rawValue
        case let error as CustodyError:
            Console.error("error: \(error)")
            return CustodyExitCode.forError(error).rawValue
        default:
            // ArgumentParser's own outcomes (help requests, validation errors) thrown from run().
            if CustodyCommand.exitCode(for: error) == .success {
                Console.out(CustodyCommand.fullMessage(for: error) + "\n")
                return 0
            }
            Console.error(CustodyCommand.fullMessage(for: error))
            return CustodyExitCode.usage.rawValue
        }
    }
}
