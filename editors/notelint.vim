" notelint on save for Vim and Neovim: findings go to the quickfix list.
" Put this file in ~/.config/nvim/plugin/ (Neovim) or ~/.vim/plugin/ (Vim).
augroup notelint
  autocmd!
  autocmd FileType markdown setlocal makeprg=notelint\ check\ --format\ concise\ --quiet\ %
  autocmd FileType markdown setlocal errorformat=%f:%l:%c:\ %m
  autocmd BufWritePost *.md silent make! | cwindow
augroup END
