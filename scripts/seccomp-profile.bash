# bash completion for seccomp-profile                     -*- shell-script -*-
# SPDX-License-Identifier: MIT
#
# Installed by `make install` into share/bash-completion/completions/.  To try
# it from a checkout:  . scripts/seccomp-profile.bash
#
# Subcommands, their options and which options take a value are read from
# the tool itself (`seccomp-profile --help`, `seccomp-profile CMD --help`,
# `seccomp-profile formats`), once per shell, so completion follows the
# binary that is installed.  Works with or without the bash-completion
# package.

# ABI names the tool accepts (core/abi.c).
_seccomp_profile_abis="x86_64 i386 x32 aarch64 arm riscv64 ppc64le s390x s390 mipsel64 mipsel"
# --default-action values (generate --help).
_seccomp_profile_actions="errno errno:EPERM errno:ENOSYS kill kill-thread trap log"

# Capability names (run/check --cap).
_seccomp_profile_caps="CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_FSETID CAP_KILL
CAP_SETGID CAP_SETUID CAP_SETPCAP CAP_LINUX_IMMUTABLE CAP_NET_BIND_SERVICE CAP_NET_BROADCAST
CAP_NET_ADMIN CAP_NET_RAW CAP_IPC_LOCK CAP_IPC_OWNER CAP_SYS_MODULE CAP_SYS_RAWIO CAP_SYS_CHROOT
CAP_SYS_PTRACE CAP_SYS_PACCT CAP_SYS_ADMIN CAP_SYS_BOOT CAP_SYS_NICE CAP_SYS_RESOURCE CAP_SYS_TIME
CAP_SYS_TTY_CONFIG CAP_MKNOD CAP_LEASE CAP_AUDIT_WRITE CAP_AUDIT_CONTROL CAP_SETFCAP
CAP_MAC_OVERRIDE CAP_MAC_ADMIN CAP_SYSLOG CAP_WAKE_ALARM CAP_BLOCK_SUSPEND CAP_AUDIT_READ
CAP_PERFMON CAP_BPF CAP_CHECKPOINT_RESTORE"

declare -gA _seccomp_profile_cache 2>/dev/null || declare -A _seccomp_profile_cache

# Prints "OPTION<TAB>ARG" for each option in a --help text: ARG is the
# placeholder of the value it takes (FILE, FORMAT, a|b|c), or empty.
_seccomp_profile_parse_help() {
	awk '
	function flush() { g = "" }
	# A list of choices (a|b|c) from the Usage line beats a placeholder
	# (MODE) from the option list.
	function emit(o, a) {
		if (!(o in seen)) { seen[o] = 1; order[++n] = o }
		if (a != "" && !(arg[o] ~ /\|/)) arg[o] = a
	}
	/^Usage:/ || /^ +seccomp-profile / || /^ +-/ {
		line = $0
		if (line ~ /^ +-/) {               # option list: spec before the description
			sub(/^ +/, "", line)
			sub(/(  |\t).*/, "", line)
		}
		gsub(/\[/, " ; ", line); gsub(/\]/, " ; ", line); gsub(/,/, " ", line)
		gsub(/\.\.\./, "", line)
		k = split(line, t, /[ \t]+/)
		flush()
		for (i = 1; i <= k; i++) {
			w = t[i]
			if (w == "" ) continue
			if (w == ";" || w == "--") { flush(); continue }
			if (w ~ /^-/) {
				if (w ~ /^-[^-]/ && w ~ /\|/) { # -c|--summary, -v|-q
					m = split(w, alt, /\|/)
					for (j = 1; j <= m; j++) { emit(alt[j], ""); g = g " " alt[j] }
					continue
				}
				if (w ~ /=/) { sub(/=.*/, "", w); emit(w, ""); flush(); continue }
				emit(w, ""); g = g " " w
				continue
			}
			if (g != "" && (w ~ /^[A-Z][A-Z_]*$/ || w ~ /\|/)) {
				m = split(g, grp, / /)
				for (j = 1; j <= m; j++) if (grp[j] != "") { emit(grp[j], w); alias[grp[j]] = g }
			}
			flush()
		}
	}
	END {
		# "-m, --mode MODE" with "[--mode enforce|log|kill]": -m gets the choices too.
		for (o in alias) {
			m = split(alias[o], grp, / /)
			for (j = 1; j <= m; j++) if (grp[j] != "" && arg[grp[j]] ~ /\|/) arg[o] = arg[grp[j]]
		}
		for (i = 1; i <= n; i++) printf "%s\t%s\n", order[i], arg[order[i]]
	}
	'
}

_seccomp_profile_bin() {
	# The command as typed (./seccomp-profile, a path, or from PATH).
	local b=${COMP_WORDS[0]}
	b=${b/#\~/$HOME}
	printf '%s' "$b"
}

_seccomp_profile_commands() {
	if [ -z "${_seccomp_profile_cache[:commands]+x}" ]; then
		_seccomp_profile_cache[:commands]=$("$(_seccomp_profile_bin)" --help 2>/dev/null |
			awk '/^Commands:/ { c = 1; next } c && /^  [a-z]/ { print $1; next } c { exit }')
	fi
	printf '%s\n' "${_seccomp_profile_cache[:commands]}"
}

_seccomp_profile_opts() { # CMD ("" for the global options)
	local key="opts:$1"
	if [ -z "${_seccomp_profile_cache[$key]+x}" ]; then
		if [ -z "$1" ]; then
			_seccomp_profile_cache[$key]=$("$(_seccomp_profile_bin)" --help 2>/dev/null |
				awk '/^Options:/ { o = 1; next } o && /^ +-/ { print } o && !/^ / { exit }' |
				_seccomp_profile_parse_help)
		else
			_seccomp_profile_cache[$key]=$("$(_seccomp_profile_bin)" "$1" --help 2>/dev/null |
				_seccomp_profile_parse_help)
		fi
	fi
	printf '%s\n' "${_seccomp_profile_cache[$key]}"
}

_seccomp_profile_formats() {
	if [ -z "${_seccomp_profile_cache[:formats]+x}" ]; then
		# name, extension, read/write, summary: policies we can write
		_seccomp_profile_cache[:formats]=$("$(_seccomp_profile_bin)" formats 2>/dev/null |
			awk '$3 ~ /write/ { print $1 }')
	fi
	printf '%s\n' "${_seccomp_profile_cache[:formats]}"
}

_seccomp_profile_files() {
	if declare -F _filedir >/dev/null; then
		_filedir
	else
		local IFS=$'\n'
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}

_seccomp_profile_value() { # ARG placeholder -> COMPREPLY
	local arg=$1
	case $arg in
	*'|'*) COMPREPLY=($(compgen -W "${arg//|/ }" -- "$cur")) ;;
	FORMAT) COMPREPLY=($(compgen -W "$(_seccomp_profile_formats)" -- "$cur")) ;;
	ABI) COMPREPLY=($(compgen -W "$_seccomp_profile_abis" -- "$cur")) ;;
	ACTION) COMPREPLY=($(compgen -W "$_seccomp_profile_actions" -- "$cur")) ;;
	CAP) COMPREPLY=($(compgen -W "$_seccomp_profile_caps" -- "$cur")) ;;
	PID) COMPREPLY=($(compgen -W "$(cd /proc && printf '%s\n' [0-9]*)" -- "$cur")) ;;
	DEPTH | N | NUM*) COMPREPLY=() ;;
	*) _seccomp_profile_files ;;
	esac
}

_seccomp_profile() {
	local cur prev
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}

	# Find the subcommand: the first word that is not a global option.
	local i cmd="" cmdi=0
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; cmdi=$i; break ;;
		esac
	done
	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$(_seccomp_profile_opts "" | cut -f1)" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_seccomp_profile_commands)" -- "$cur"))
		fi
		return 0
	fi

	case $cmd in
	help)
		[ "$COMP_CWORD" -eq $((cmdi + 1)) ] &&
			COMPREPLY=($(compgen -W "$(_seccomp_profile_commands)" -- "$cur"))
		return 0 ;;
	version) return 0 ;;
	esac

	local opts
	opts=$(_seccomp_profile_opts "$cmd")

	# Walk the words after the subcommand: skip option values, stop at the
	# workload command (record/run/check: after "--" or at the first
	# positional word), count positional arguments.
	local w a npos=0 work=-1
	for ((i = cmdi + 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [ "$w" = "--" ]; then
			work=$((i + 1)); break
		fi
		if [[ $w == -* ]]; then
			[[ $w == *=* ]] && continue
			a=$(printf '%s\n' "$opts" | awk -F'\t' -v o="$w" '$1 == o { print $2 }')
			[ -n "$a" ] && i=$((i + 1))
			continue
		fi
		npos=$((npos + 1))
		case $cmd in record | run | check) work=$i; break ;; esac
	done
	if [ "$work" -ge 0 ]; then
		# Inside the workload's command line: complete it as its own command.
		if [ "$work" -eq "$COMP_CWORD" ]; then
			COMPREPLY=($(compgen -c -- "$cur"))
		elif declare -F _command_offset >/dev/null; then
			_command_offset "$work"
		else
			_seccomp_profile_files
		fi
		return 0
	fi

	# The value of an option: "--opt VALUE" or "--opt=VALUE".
	if [[ $prev == -* ]]; then
		a=$(printf '%s\n' "$opts" | awk -F'\t' -v o="$prev" '$1 == o { print $2 }')
		if [ -n "$a" ]; then
			_seccomp_profile_value "$a"
			return 0
		fi
	fi
	if [[ $cur == --*=* ]]; then
		local o=${cur%%=*} v=${cur#*=}
		a=$(printf '%s\n' "$opts" | awk -F'\t' -v o="$o" '$1 == o { print $2 }')
		if [ -n "$a" ]; then
			cur=$v
			_seccomp_profile_value "$a"
			return 0
		fi
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(printf '%s\n' "$opts" | cut -f1)" -- "$cur"))
		return 0
	fi
	case $cmd in
	record | run | check) COMPREPLY=($(compgen -c -- "$cur")) ;;
	formats | oci-hook) ;;
	explain)
		# RECORDING SYSCALL: syscall names come from the recording.
		local rec=""
		for ((i = cmdi + 1; i < COMP_CWORD; i++)); do
			w=${COMP_WORDS[i]}
			if [[ $w == -* ]]; then
				[[ $w == *=* ]] && continue
				a=$(printf '%s\n' "$opts" | awk -F'\t' -v o="$w" '$1 == o { print $2 }')
				[ -n "$a" ] && i=$((i + 1))
				continue
			fi
			rec=$w
			break
		done
		if [ "$npos" -eq 1 ] && [ -r "$rec" ]; then
			COMPREPLY=($(compgen -W "$(grep -o '"name": *"[a-z0-9_]*"' "$rec" 2>/dev/null |
				sed 's/.*"\([a-z0-9_]*\)"$/\1/' | sort -u)" -- "$cur"))
		else
			_seccomp_profile_files
		fi ;;
	*) _seccomp_profile_files ;;
	esac
	return 0
}

complete -F _seccomp_profile seccomp-profile ./seccomp-profile
