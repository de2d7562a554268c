

# leading comment, after blank lines



include   "common.sc"# trailing on include
const A=1 const B = 0x10   # hex stays hex
# about the group
group @io=read,write


policy base{default kill   # trailing on default
  allow read,write, # rw
    # io
    close,  @x-y
  allow a if !(x&0x10==0)||y in{1,2,-3}&&z<<2+1>~0b101
  allow x if a == # inside
     b # end
  kill  ptrace   # k
  log personality # a longer trailing comment


  # before close
}   # after close
policy p { # on the brace
}
policy q # before the brace
{ allow a }
# eof comment
