# fish completion for jobdraft.
# Generated from the app by scripts/gen_completions.py: do not edit.
# Install: copy to ~/.config/fish/completions/jobdraft.fish

function __jobdraft_complete
    set -l reply (env _JOBDRAFT_COMPLETE=complete_fish _TYPER_COMPLETE_ARGS=(commandline -cp) jobdraft 2>/dev/null)
    set -l kind $reply[1]
    set -e reply[1]
    switch "$kind"
        case files
            __fish_complete_path (commandline -ct)
        case dirs
            __fish_complete_directories (commandline -ct)
        case words nospace
            printf '%s\n' $reply
    end
end

complete --command jobdraft --no-files --keep-order --arguments '(__jobdraft_complete)'
