# SNAPpy script for the SNAP bridge node: turns mesh RPCs into Squall's line format on a UART, and lines from
# the host into RPCs on the mesh. Load it on the node wired to the gateway's serial port (see docs/snap.md).
#
# Packet Serial stays on the other UART (for Portal); this one carries plain text lines at 38400 8N1:
#   node -> host:  "5de663@1/3 status 3300 True 126"   (multicast)   "5de663 led True"   (unicast to us)
#   host -> node:  "000020>5de663 setLed True"          "000020@1/3 reboot"
# Only ints, bools, None and bare words are handled in host lines: enough for control calls such as setLed.
# This is an example, written against the SNAPpy documentation; try it on your hardware before relying on it.

from synapse.switchboard import *

HOST_UART = DS_UART0      # the UART wired to the gateway (E20/E12: the one behind /dev/snap1 is UART1)
HEX = "0123456789abcdef"
line = ""

@setHook(HOOK_STARTUP)
def startup():
    initUart(0, 38400)            # 0 = UART0, 8N1 by default
    flowControl(0, False)
    crossConnect(HOST_UART, DS_STDIO)
    stdinMode(0, False)           # line mode, no echo

def hexByte(b):
    return HEX[(b >> 4) & 15] + HEX[b & 15]

def hexAddr(addr):
    return hexByte(ord(addr[0])) + hexByte(ord(addr[1])) + hexByte(ord(addr[2]))

# --- node -> host: one handler per function the nodes call (SNAP calls a handler only when the arity matches) ---
# print separates values with spaces and ends the line; ints print as digits and bools as True/False, which the
# line format reads as they are.

def status(batteryMv, buttonDown, buttonCount):
    print hexAddr(rpcSourceAddr()), "status", batteryMv, buttonDown, buttonCount

def led(on):
    print hexAddr(rpcSourceAddr()), "led", on

def pong(count):
    print hexAddr(rpcSourceAddr()), "pong", count

# --- host -> node ---

def indexOf(text, ch, start):
    # plain loop: SNAPpy strings have slicing and len, not the full set of Python string methods
    i = start
    while i < len(text):
        if text[i] == ch:
            return i
        i += 1
    return -1

def nibble(c):
    if c >= '0' and c <= '9':
        return ord(c) - ord('0')
    return ord(c) - ord('a') + 10

def hexValue(text, at):
    return (nibble(text[at]) << 4) | nibble(text[at + 1])

def addrOf(text, at):
    return chr(hexValue(text, at)) + chr(hexValue(text, at + 2)) + chr(hexValue(text, at + 4))

def parseArg(word):
    if word == "True":
        return True
    if word == "False":
        return False
    if word == "None":
        return None
    if len(word) > 0 and (word[0] == '-' or (word[0] >= '0' and word[0] <= '9')):
        return int(word)
    return word

@setHook(HOOK_STDIN)
def fromHost(data):
    global line
    line += data
    end = indexOf(line, "\n", 0)
    while end >= 0:
        hostLine(line[:end])
        line = line[end + 1:]
        end = indexOf(line, "\n", 0)
    if len(line) > 120:
        line = ""                 # no newline in sight: drop rather than grow

def hostLine(text):
    # "000020>5de663 setLed True" or "000020@1/3 reboot"; the first six digits are the host's address
    space = indexOf(text, " ", 0)
    if space < 7:
        return
    rest = text[space + 1:]
    second = indexOf(rest, " ", 0)
    if second < 0:
        func = rest
        value = None
        hasArg = False
    else:
        func = rest[:second]
        value = parseArg(rest[second + 1:])
        hasArg = True
    if text[6] == '>':
        target = addrOf(text, 7)
        if hasArg:
            rpc(target, func, value)
        else:
            rpc(target, func)
    elif text[6] == '@':
        slash = indexOf(text, "/", 0)
        group = int(text[7:slash])
        ttl = int(text[slash + 1:space])
        if hasArg:
            mcastRpc(group, ttl, func, value)
        else:
            mcastRpc(group, ttl, func)
